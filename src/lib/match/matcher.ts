/**
 * A rule's detection compiled once into a matcher over events. Search identifiers are evaluated
 * lazily and at most once per event (conditions often name the same one twice, `1 of sel_*`
 * then `all of them`), so a rule whose first selection fails costs a single string test.
 */
import type { LogSource } from '../sigma/logsource.ts';
import type { ParsedCondition } from '../sigma/condition.ts';
import type { SearchIdentifier } from '../sigma/detection.ts';
import type { SigmaRule } from '../sigma/rule.ts';
import { compileCondition, identifiersOf, witnessesOf } from './evaluate-condition.ts';
import type { PreparedEvent } from './event.ts';
import type { Truth } from './value-check.ts';
import { compilePredicate, type CompiledPredicate, type ValueMatch } from './predicate.ts';

export interface PredicateMatch {
  identifier: string;
  /** The rule's field (null for keywords) and modifiers as written. */
  field: string | null;
  modifiers: string[];
  matches: ValueMatch[];
}

export interface MatchExplanation {
  /** The condition that held, as written. */
  condition: string;
  /** Every identifier the condition reads, with its value on the event (null: unknown). */
  identifiers: { name: string; value: boolean | null }[];
  /** For each true identifier, the predicates of its first true group and what they matched. */
  matches: PredicateMatch[];
}

export interface DetectionMatcher {
  /** Why the detection cannot be evaluated at all (aggregation, no condition …). */
  unsupported?: string;
  /** Why parts of it are unknown (expand, refused regex …); those parts evaluate as unknown. */
  unknown: string[];
  test(event: PreparedEvent): Truth;
  /** Call when `test` returned true. */
  explain(event: PreparedEvent): MatchExplanation;
}

export interface RuleMatcher extends DetectionMatcher {
  slug: string;
  logsource: LogSource;
}

interface CompiledIdentifier {
  name: string;
  groups: CompiledPredicate[][];
}

type Detection = { identifiers: SearchIdentifier[]; conditions: ParsedCondition[] };

export function compileDetection(detection: Detection): DetectionMatcher {
  const identifiers = detection.identifiers.map((id): CompiledIdentifier => ({ name: id.name, groups: id.groups.map((group) => group.map(compilePredicate)) }));
  const index = new Map(identifiers.map((id, i) => [id.name, i]));
  const unknown = [...new Set(identifiers.flatMap((id) => id.groups.flat().flatMap((p) => p.unknown)))];
  const conditions = detection.conditions;
  const unsupported =
    conditions.length === 0 ? 'no condition' : conditions.every((c) => c.aggregation) ? 'aggregation conditions (count … by) need many events' : undefined;

  const compiled = conditions.map((c) => (c.aggregation ? undefined : compileCondition(c.expression, (name) => index.get(name))));

  // Per-event memo of identifier values, reset by bumping the generation instead of reallocating.
  const memoGeneration = new Int32Array(identifiers.length);
  const memoValue: Truth[] = new Array(identifiers.length);
  let generation = 0;
  let current: PreparedEvent;
  const identifierTruth = (i: number): Truth => {
    if (memoGeneration[i] === generation) return memoValue[i];
    const t = evaluateIdentifier(identifiers[i]!, current);
    memoGeneration[i] = generation;
    memoValue[i] = t;
    return t;
  };

  /** Index of the first condition that holds, -1 when none does, -2 when unknown. */
  const evaluateConditions = (event: PreparedEvent): number => {
    generation = (generation + 1) | 0 || 1;
    current = event;
    let sawUnknown = false;
    for (let c = 0; c < compiled.length; c++) {
      const condition = compiled[c];
      const t = condition ? condition(identifierTruth) : undefined;
      if (t === true) return c;
      if (t === undefined) sawUnknown = true;
    }
    return sawUnknown ? -2 : -1;
  };

  return {
    unsupported,
    unknown,
    test: (event) => {
      if (unsupported) return undefined;
      const c = evaluateConditions(event);
      return c >= 0 ? true : c === -1 ? false : undefined;
    },
    explain: (event) => {
      const c = evaluateConditions(event);
      if (c < 0) throw new Error('explain() called on an event the detection does not match');
      const condition = conditions[c]!;
      const names = [...identifiersOf(condition.expression)].sort();
      const values = names.map((name) => ({ name, value: evaluateIdentifier(identifiers[index.get(name)!]!, event) ?? null }));
      const truth = new Map(values.map((v) => [v.name, v.value ?? undefined]));
      // The matches shown are those of the identifiers the condition holds by, not a filter under `not`.
      const witnesses = witnessesOf(condition.expression, (name) => truth.get(name));
      const matches = values.filter((v) => witnesses.has(v.name)).flatMap((v) => explainIdentifier(identifiers[index.get(v.name)!]!, event));
      return { condition: condition.source, identifiers: values, matches };
    },
  };
}

/** OR over groups of AND'ed predicates, in Kleene logic. */
function evaluateIdentifier(identifier: CompiledIdentifier, event: PreparedEvent): Truth {
  let anyUnknown = false;
  for (const group of identifier.groups) {
    const t = evaluateGroup(group, event);
    if (t === true) return true;
    if (t === undefined) anyUnknown = true;
  }
  return anyUnknown ? undefined : false;
}

function evaluateGroup(group: CompiledPredicate[], event: PreparedEvent): Truth {
  let anyUnknown = false;
  for (const predicate of group) {
    const t = predicate.evaluate(event);
    if (t === false) return false;
    if (t === undefined) anyUnknown = true;
  }
  return anyUnknown ? undefined : true;
}

function explainIdentifier(identifier: CompiledIdentifier, event: PreparedEvent): PredicateMatch[] {
  const group = identifier.groups.find((g) => evaluateGroup(g, event) === true) ?? [];
  return group.map((p) => ({
    identifier: identifier.name,
    field: p.predicate.kind === 'field' ? p.predicate.field : null,
    modifiers: p.predicate.modifiers,
    matches: p.explain(event),
  }));
}

/** What the matcher reads of a rule: a catalog rule is one (the slug names it in predictions). */
export type RuleInput = Pick<SigmaRule, 'id' | 'kind' | 'active' | 'logsource' | 'detection'> & { slug: string };

const cache = new WeakMap<RuleInput, RuleMatcher>();

/** The rule's matcher, compiled on first use and cached for the rule object's lifetime. */
export function compileRule(rule: RuleInput): RuleMatcher {
  const cached = cache.get(rule);
  if (cached) return cached;
  const base: DetectionMatcher =
    rule.kind !== 'rule'
      ? { unsupported: `${rule.kind} rules combine other rules' matches`, unknown: [], test: () => undefined, explain: noExplanation }
      : rule.detection
        ? compileDetection(rule.detection)
        : { unsupported: 'no detection section', unknown: [], test: () => undefined, explain: noExplanation };
  const matcher: RuleMatcher = { ...base, slug: rule.slug, logsource: rule.logsource };
  cache.set(rule, matcher);
  return matcher;
}

function noExplanation(): MatchExplanation {
  throw new Error('the rule cannot match');
}
