/**
 * Predicted detections: every applicable Sigma rule run over every event a test would produce.
 * Rules are compiled once and indexed by the log sources of the synthesised events, so each
 * event only meets the rules that could apply to it.
 */
import { compareStrings } from '../order.ts';
import { logSourceApplies } from '../sigma/logsource.ts';
import { prepareEvent, type PreparedEvent, type SigmaEvent } from '../match/event.ts';
import { simulateTest, type SynthesisedEvent, type TestInput } from '../simulate/harness.ts';
import { compileRule, type MatchExplanation, type RuleInput } from '../match/matcher.ts';
import { matchOffset, type Truth } from '../match/value-check.ts';
import type { PayloadStore } from '../simulate/payload-store.ts';
import type { EventSource } from '../simulate/trace.ts';

export interface Prediction {
  /** Atomic test guid. */
  test: string;
  /** Rule slug and id. */
  rule: string;
  ruleId: string;
  /** The first synthesised event (in run order) the rule matched. */
  event: { logsource: EventSource; origin: string; fields: SigmaEvent };
  explanation: MatchExplanation;
  /** When the event's text came from a loaded payload: its file and the line of the match. */
  payload?: { file: string; line: number };
}

export interface PredictOptions {
  /** Also evaluate deprecated and unsupported rules (default: active rules only). */
  includeInactive?: boolean;
  /** Scripts and files tests load at run time (--payloads, the atomics folder's src/). */
  payloads?: PayloadStore;
}

export interface PredictResult {
  predictions: Prediction[];
  /** Per test guid: what it would load that the payload store lacks. */
  notes: Map<string, string[]>;
}

export function predictDetections(rules: RuleInput[], tests: TestInput[], options: PredictOptions = {}): Prediction[] {
  return predictAll(rules, tests, options).predictions;
}

export function predictAll(rules: RuleInput[], tests: TestInput[], options: PredictOptions = {}): PredictResult {
  const notes = new Map<string, string[]>();
  const events = synthesiseAll(tests, options.payloads, notes);
  const bySource = groupBySource(events);
  const found: (Prediction & { order: number })[] = [];
  // Per test, the first event the current rule matched (undefined: none yet); `matched` lists
  // the tests set, in the order they were found, to reset them for the next rule.
  const first: (TestEvent | undefined)[] = new Array(tests.length).fill(undefined);
  const matched: number[] = [];
  // Rules outermost: each compiled rule then runs over many events in a row, which keeps V8's
  // call sites monomorphic — several times faster than trying every rule on each event.
  for (const rule of rules) {
    if (rule.kind !== 'rule' || !rule.detection || !(options.includeInactive || rule.active)) continue;
    const matcher = compileRule(rule);
    if (matcher.unsupported) continue;
    // A payload loaded by many tests (WinPwn by forty) is one shared event: evaluated once per rule.
    const shared = new Map<PreparedEvent, Truth>();
    for (const [source, group] of bySource) {
      if (!logSourceApplies(rule.logsource, source)) continue;
      for (let i = 0; i < group.length; i++) {
        const e = group[i]!;
        const seen = first[e.test];
        if (seen && seen.order < e.order) continue;
        let truth = e.sharable ? shared.get(e.prepared) : undefined;
        if (truth === undefined) {
          truth = matcher.test(e.prepared);
          if (e.sharable) shared.set(e.prepared, truth);
        }
        if (truth === true) {
          if (!seen) matched.push(e.test);
          first[e.test] = e;
        }
      }
    }
    const hits = matched.map((t) => first[t]!);
    for (const t of matched) first[t] = undefined;
    matched.length = 0;
    for (const e of hits) {
      const explanation = located(matcher.explain(e.prepared));
      const prediction: Prediction & { order: number } = {
        test: tests[e.test]!.guid,
        rule: rule.slug,
        ruleId: rule.id,
        event: e.event,
        explanation,
        order: e.order,
      };
      found.push(e.event.source ? fromPayload(prediction, e.event.source) : prediction);
    }
  }
  const predictions = found.sort((a, b) => compareStrings(a.test, b.test) || compareStrings(a.rule, b.rule)).map(({ order: _order, ...p }) => p);
  return { predictions, notes };
}

/** Each matched value with where in the event's text it matches (`at`), so long texts are shown around it. */
function located(explanation: MatchExplanation): MatchExplanation {
  return {
    ...explanation,
    matches: explanation.matches.map((m) => ({
      ...m,
      matches: m.matches.map((v) => {
        if (typeof v.value !== 'string' || v.eventValue === undefined) return v;
        const at = matchOffset(m.modifiers, v.value, v.eventValue);
        return at >= 0 ? { ...v, at } : v;
      }),
    })),
  };
}

const EXCERPT = 240;

/** 2 × EXCERPT characters of the text around `at` (its start when unknown), `…` where cut, with `at` moved into it. */
function excerptAround(text: string, at: number | undefined): { text: string; at?: number } {
  if (text.length <= EXCERPT * 2) return { text, ...(at !== undefined && { at }) };
  const start = Math.max(0, Math.min((at ?? 0) - EXCERPT, text.length - EXCERPT * 2));
  const end = start + EXCERPT * 2;
  const head = start > 0 ? '…' : '';
  return { text: `${head}${text.slice(start, end)}${end < text.length ? '…' : ''}`, ...(at !== undefined && { at: at - start + head.length }) };
}

/**
 * A prediction on payload text names the file and the line of the first matched value, and
 * keeps only excerpts of the long text (a part is up to 15,000 characters): each matched value's
 * row the text around its own match, the event the text around the first.
 */
function fromPayload<P extends Prediction>(p: P, source: { file: string; line: number }): P {
  if (p.event.fields['ScriptBlockText'] === undefined) return { ...p, payload: source };
  const text = String(p.event.fields['ScriptBlockText']);
  let first: number | undefined;
  for (const m of p.explanation.matches)
    for (const v of m.matches) if (v.eventValue === text && v.at !== undefined && (first === undefined || v.at < first)) first = v.at;
  let line = source.line;
  for (let i = text.indexOf('\n'); i >= 0 && i < (first ?? -1); i = text.indexOf('\n', i + 1)) line++;
  const explanation = {
    ...p.explanation,
    matches: p.explanation.matches.map((m) => ({
      ...m,
      matches: m.matches.map((v) => {
        if (v.eventValue !== text) return v;
        const { at: _at, ...rest } = v;
        const cut = excerptAround(text, v.at ?? first);
        return { ...rest, eventValue: cut.text, ...(v.at !== undefined && cut.at !== undefined && { at: cut.at }) };
      }),
    })),
  };
  const excerpt = excerptAround(text, first).text;
  return { ...p, event: { ...p.event, fields: { ...p.event.fields, ScriptBlockText: excerpt } }, explanation, payload: { file: source.file, line } };
}

interface TestEvent {
  test: number;
  /** Position in the run, so a rule's explanation names the first event it matched. */
  order: number;
  event: SynthesisedEvent;
  prepared: PreparedEvent;
  /** A script block of a loaded payload: the same prepared event in every test that loads it. */
  sharable: boolean;
}

function synthesiseAll(tests: TestInput[], payloads: PayloadStore | undefined, notes: Map<string, string[]>): TestEvent[] {
  const all: TestEvent[] = [];
  // Payload text is the same in every test that loads it: prepared (lower-cased) once.
  const prepared = new Map<string, PreparedEvent>();
  const prepare = (event: SynthesisedEvent): PreparedEvent => {
    if (!event.source || event.fields['EventID'] !== 4104) return prepareEvent(event.fields);
    const f = event.fields;
    const key = `${event.source.file}\u0000${f['MessageNumber']}\u0000${f['Path']}`;
    let p = prepared.get(key);
    if (!p) prepared.set(key, (p = prepareEvent(f)));
    return p;
  };
  tests.forEach((test, t) => {
    const run = simulateTest(test, payloads);
    if (run.notes.length > 0) notes.set(test.guid, run.notes);
    for (const event of run.events)
      all.push({ test: t, order: all.length, event, prepared: prepare(event), sharable: event.source !== undefined && event.fields['EventID'] === 4104 });
  });
  return all;
}

/** Events grouped by log source (in run order within a group), keyed by the source itself. */
function groupBySource(events: TestEvent[]): Map<EventSource, TestEvent[]> {
  const byKey = new Map<string, { source: EventSource; list: TestEvent[] }>();
  for (const e of events) {
    const s = e.event.logsource;
    const key = `${s.product}|${s.category ?? ''}|${s.service ?? ''}`;
    const entry = byKey.get(key) ?? { source: s, list: [] };
    entry.list.push(e);
    byKey.set(key, entry);
  }
  return new Map([...byKey.values()].map((v) => [v.source, v.list]));
}
