/**
 * Predicted detections: every applicable Sigma rule run over every event a test would produce.
 * Rules are compiled once and indexed by the log sources of the synthesised events, so each
 * event only meets the rules that could apply to it.
 */
import type { CatalogRule, CatalogTest } from '../catalog/types.ts';
import { compareStrings } from '../order.ts';
import { logSourceApplies } from '../sigma/logsource.ts';
import { prepareEvent, type PreparedEvent, type SigmaEvent } from './event.ts';
import { synthesiseEvents, type SynthesisedEvent } from './events.ts';
import { compileRule, type MatchExplanation } from './match.ts';
import type { EventSource } from './trace.ts';

export interface Prediction {
  /** Atomic test guid. */
  test: string;
  /** Rule slug and id. */
  rule: string;
  ruleId: string;
  /** The first synthesised event (in run order) the rule matched. */
  event: { logsource: EventSource; origin: string; fields: SigmaEvent };
  explanation: MatchExplanation;
}

export interface PredictOptions {
  /** Also evaluate deprecated and unsupported rules (default: active rules only). */
  includeInactive?: boolean;
}

export function predictDetections(rules: CatalogRule[], tests: CatalogTest[], options: PredictOptions = {}): Prediction[] {
  const events = synthesiseAll(tests);
  const bySource = groupBySource(events);
  const found: (Prediction & { order: number })[] = [];
  // Rules outermost: each compiled rule then runs over many events in a row, which keeps V8's
  // call sites monomorphic — several times faster than trying every rule on each event.
  for (const rule of rules) {
    if (rule.kind !== 'rule' || !rule.detection || !(options.includeInactive || rule.active)) continue;
    const matcher = compileRule(rule);
    if (matcher.unsupported) continue;
    const first = new Map<number, TestEvent>();
    for (const [source, group] of bySource) {
      if (!logSourceApplies(rule.logsource, source)) continue;
      for (const e of group) {
        const seen = first.get(e.test);
        if ((seen && seen.order < e.order) || matcher.test(e.prepared) !== true) continue;
        first.set(e.test, e);
      }
    }
    for (const e of first.values()) {
      found.push({ test: tests[e.test]!.guid, rule: rule.slug, ruleId: rule.id, event: e.event, explanation: matcher.explain(e.prepared), order: e.order });
    }
  }
  return found.sort((a, b) => compareStrings(a.test, b.test) || compareStrings(a.rule, b.rule)).map(({ order: _order, ...p }) => p);
}

interface TestEvent {
  test: number;
  /** Position in the run, so a rule's explanation names the first event it matched. */
  order: number;
  event: SynthesisedEvent;
  prepared: PreparedEvent;
}

function synthesiseAll(tests: CatalogTest[]): TestEvent[] {
  const all: TestEvent[] = [];
  tests.forEach((test, t) => synthesiseEvents(test).forEach((event) => all.push({ test: t, order: all.length, event, prepared: prepareEvent(event.fields) })));
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


/** Rule slugs predicted per test guid, sorted (for `CatalogTest.predicted`). */
export function predictedRulesByTest(predictions: Prediction[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of predictions) map.set(p.test, [...(map.get(p.test) ?? []), p.rule]);
  return map;
}

/** Test guids predicted per rule slug, sorted (for `CatalogRule.predictedTests`). */
export function predictedTestsByRule(predictions: Prediction[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of predictions) map.set(p.rule, [...(map.get(p.rule) ?? []), p.test]);
  for (const list of map.values()) list.sort(compareStrings);
  return map;
}
