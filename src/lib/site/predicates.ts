/**
 * "Stages and predicates": a rule's condition and search identifiers as an analyst reads them.
 * Turns modifier chains into words and makes every implicit `any`/`all`/`not` explicit.
 */
import type { ConditionNode, Aggregation } from '../sigma/condition.ts';
import type { Predicate, SearchIdentifier, SigmaScalar } from '../sigma/detection.ts';

export type Quantifier = 'one' | 'any' | 'all';

export interface PredicateView {
  /** Field name, or null for a keyword (anywhere in the event). */
  field: string | null;
  /** The match in words: "ends with", "matches regex", "equals" … */
  operator: string;
  /** How the values combine: a single value, any of them (OR), all of them (AND). */
  quantifier: Quantifier;
  values: string[];
  /** Values not shown (see `describeIdentifier`'s limit); 0 when all are shown. */
  more: number;
  /** Transformations and flags in words: "case-sensitive", "dash variants (windash)" … */
  notes: string[];
  /** The modifier chain as written, e.g. `windash|contains`. */
  modifiers: string;
}

const MATCH: Record<string, string> = {
  contains: 'contains',
  startswith: 'starts with',
  endswith: 'ends with',
  re: 'matches regex',
  cidr: 'is in network',
  fieldref: 'equals the value of field',
  lt: 'is less than',
  lte: 'is at most',
  gt: 'is greater than',
  gte: 'is at least',
  neq: 'does not equal',
};

const NOTES: Record<string, string> = {
  windash: 'dash variants: - / – — ― (windash)',
  base64: 'value base64-encoded',
  base64offset: 'value base64-encoded at any offset',
  wide: 'value UTF-16LE encoded',
  utf16le: 'value UTF-16LE encoded',
  utf16be: 'value UTF-16BE encoded',
  utf16: 'value UTF-16 encoded with BOM',
  expand: 'placeholders expanded by the pipeline',
  cased: 'case-sensitive',
  i: 'regex: ignore case',
  ignorecase: 'regex: ignore case',
  m: 'regex: multi-line',
  multiline: 'regex: multi-line',
  s: 'regex: dot matches newline',
  dotall: 'regex: dot matches newline',
};

const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

/** A value as written, quoted so that leading and trailing spaces stay visible. */
export function formatValue(value: SigmaScalar): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

export function describePredicate(predicate: Predicate, limit = Infinity): PredicateView {
  const modifiers = predicate.modifiers.map((m) => m.toLowerCase());
  const notes: string[] = [];
  let operator = predicate.kind === 'keyword' ? 'found anywhere in the event' : 'equals';
  let all = false;
  for (const mod of modifiers) {
    if (mod === 'all') all = true;
    else if (mod in MATCH) operator = MATCH[mod]!;
    else if (TIME_PARTS.has(mod)) operator = `${mod} part equals`;
    else if (mod === 'exists') operator = 'exists';
    else if (mod in NOTES) notes.push(NOTES[mod]!);
    else notes.push(`unknown modifier "${mod}"`);
  }
  const values = predicate.values;
  if (modifiers.includes('exists')) {
    const present = values.length === 0 || values.some((v) => v === true || v === 'true');
    operator = present ? 'exists' : 'does not exist';
    return { field: fieldOf(predicate), operator, quantifier: 'one', values: [], more: 0, notes, modifiers: modifiers.join('|') };
  }
  if (operator === 'equals' && values.length === 1 && values[0] === null) {
    return { field: fieldOf(predicate), operator: 'is empty or absent', quantifier: 'one', values: [], more: 0, notes, modifiers: modifiers.join('|') };
  }
  if (operator === 'equals' && values.length === 1 && values[0] === '') operator = 'is empty';
  const quantifier: Quantifier = values.length <= 1 ? 'one' : all ? 'all' : 'any';
  return {
    field: fieldOf(predicate),
    operator,
    quantifier,
    values: values.slice(0, limit).map(formatValue),
    more: Math.max(0, values.length - limit),
    notes,
    modifiers: modifiers.join('|'),
  };
}

function fieldOf(predicate: Predicate): string | null {
  return predicate.kind === 'field' ? predicate.field : null;
}

export interface IdentifierView {
  name: string;
  /** OR over groups; each group is an AND over predicates. */
  groups: PredicateView[][];
}

/** Values shown per predicate; the rest are counted (large IOC lists are in the indicator table). */
export const VALUES_SHOWN = 25;

export function describeIdentifier(identifier: SearchIdentifier, limit = VALUES_SHOWN): IdentifierView {
  return { name: identifier.name, groups: identifier.groups.map((g) => g.map((p) => describePredicate(p, limit))) };
}

/** A condition tree with nested and/or chains flattened (a and (b and c) → all of a, b, c). */
export type ConditionView =
  | { type: 'all'; children: ConditionView[] }
  | { type: 'any'; children: ConditionView[] }
  | { type: 'not'; child: ConditionView }
  | { type: 'identifier'; name: string }
  | { type: 'of'; quantifier: 'one' | 'all'; pattern: string; matches: string[] };

export function describeCondition(node: ConditionNode): ConditionView {
  switch (node.type) {
    case 'and':
    case 'or': {
      const type = node.type === 'and' ? 'all' : 'any';
      const children: ConditionView[] = [];
      for (const child of node.children) {
        const view = describeCondition(child);
        if (view.type === type) children.push(...view.children);
        else children.push(view);
      }
      return { type, children };
    }
    case 'not':
      return { type: 'not', child: describeCondition(node.child) };
    case 'identifier':
      return { type: 'identifier', name: node.name };
    case 'of':
      return { type: 'of', quantifier: node.quantifier, pattern: node.pattern, matches: node.matches };
  }
}

/** `count(Field) by Group > 5` in words. */
export function describeAggregation(agg: Aggregation): string {
  const fn = `${agg.function}(${agg.field ?? ''})`;
  const by = agg.groupBy ? ` grouped by ${agg.groupBy}` : '';
  return `then ${fn}${by} ${agg.operator} ${agg.value}`;
}

/** Anchor id of a search identifier on the rule page. */
export function identifierAnchor(name: string): string {
  return `sel-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
