/**
 * The detection section of a Sigma rule as an analyst reads it: search identifiers made of
 * predicates. Parsing lives here; the condition has its own module (condition.ts).
 */
import type { Diagnostic } from '../diagnostics.ts';
import type { ParsedCondition } from './condition.ts';

/** A scalar value as written in the rule (YAML JSON schema: strings, numbers, booleans, null). */
export type SigmaScalar = string | number | boolean | null;

/** `Field|mod1|mod2: values` — values are OR'ed unless `all` is among the modifiers. */
export interface FieldPredicate {
  kind: 'field';
  field: string;
  /** Modifier names in the order written, lower-cased (e.g. ['contains', 'all']). */
  modifiers: string[];
  values: SigmaScalar[];
}

/** A keyword search: any of the values found anywhere in the event (all of them with `|all`). */
export interface KeywordPredicate {
  kind: 'keyword';
  modifiers: string[];
  values: SigmaScalar[];
}

export type Predicate = FieldPredicate | KeywordPredicate;

/**
 * A search identifier is an OR over groups, each group an AND over predicates:
 * a map is one group; a list of maps is one group per map; a keyword list is one group
 * holding one keyword predicate.
 */
export interface SearchIdentifier {
  name: string;
  groups: Predicate[][];
}

export interface Detection {
  identifiers: SearchIdentifier[];
  /** One entry per condition (Sigma allows a list of conditions, matched if any is true). */
  conditions: ParsedCondition[];
  /** Legacy `timeframe`, kept for display. */
  timeframe?: string;
}

/** Parses a rule's `detection` map. Problems (unknown modifiers, bad conditions) become diagnostics. */
export declare function parseDetection(
  detection: Record<string, unknown>,
  file: string,
): { detection: Detection; diagnostics: Diagnostic[] };
