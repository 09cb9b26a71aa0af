/**
 * The detection section of a Sigma rule as an analyst reads it: search identifiers made of
 * predicates. Parsing lives here; the condition has its own module (condition.ts).
 */
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { parseCondition, type ParsedCondition } from './condition.ts';
import { lookupModifier, validateModifiers } from './modifiers.ts';
import type { Position, YamlLocator } from './positions.ts';

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
  /**
   * One entry per condition (Sigma allows a list of conditions, matched if any is true).
   * Only conditions that parsed and resolved without errors are kept; the others are diagnostics.
   */
  conditions: ParsedCondition[];
  /** Legacy `timeframe`, kept for display. */
  timeframe?: string;
}

/** Keys of the detection map that are not search identifiers. */
const RESERVED_KEYS = new Set(['condition', 'timeframe']);

/** A problem, and where it is written (the key or value it is about), when known. */
type Report = (code: string, message: string, severity?: 'error' | 'warning', at?: Position) => void;

/** Where the parts of the detection map are written; NOWHERE when the source is unknown. */
type Locate = Pick<YamlLocator, 'key' | 'value' | 'inside'>;

const NOWHERE: Locate = { key: () => undefined, value: () => undefined, inside: (at) => at };

/**
 * Parses a rule's `detection` map. Problems (unknown modifiers, bad conditions) become diagnostics,
 * placed at their key or value when `locate` knows the source (`at`: where the section starts).
 */
export function parseDetection(
  detection: Record<string, unknown>,
  file: string,
  locate: YamlLocator | undefined = undefined,
  at: Position | undefined = undefined,
): { detection: Detection; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const where = locate ?? NOWHERE;
  const report: Report = (code, message, severity = 'error', position = at) => diagnostics.push(diagnostic(file, code, message, { severity, ...position }));
  const result: Detection = { identifiers: [], conditions: [] };
  if (!isMap(detection)) {
    report('detection-shape', `detection must be a map of search identifiers and a condition, found ${describeValue(detection)}`);
    return { detection: result, diagnostics };
  }
  for (const [name, value] of Object.entries(detection)) {
    if (!RESERVED_KEYS.has(name)) result.identifiers.push(parseSearchIdentifier(name, value, report, where, where.key(detection, name)));
  }
  const timeframe = detection['timeframe'];
  if (typeof timeframe === 'string') result.timeframe = timeframe;
  else if (timeframe !== undefined) {
    report(
      'detection-shape',
      `detection timeframe must be a string like '5m', found ${describeValue(timeframe)}`,
      'error',
      where.value(detection, 'timeframe'),
    );
  }
  const names = result.identifiers.map((identifier) => identifier.name);
  const raw = detection['condition'];
  const conditionAt = where.key(detection, 'condition');
  const reportCondition: Report = (code, message, severity, position) => report(code, message, severity, position ?? conditionAt);
  const valueAt = (index: number) => (Array.isArray(raw) ? where.value(raw, index) : where.value(detection, 'condition'));
  result.conditions = parseConditions(raw, names, reportCondition, valueAt, where);
  return { detection: result, diagnostics };
}

// ---------------------------------------------------------------------------------------------
// Conditions

function parseConditions(raw: unknown, names: string[], report: Report, valueAt: (index: number) => Position | undefined, locate: Locate): ParsedCondition[] {
  if (raw === undefined || raw === null) {
    report('condition', 'detection has no condition');
    return [];
  }
  const sources = Array.isArray(raw) ? raw : [raw];
  if (sources.length === 0) report('condition', 'detection condition is an empty list');
  const conditions: ParsedCondition[] = [];
  sources.forEach((source, index) => {
    const label = sources.length > 1 ? `condition ${index + 1}` : 'condition';
    const at = valueAt(index);
    if (typeof source !== 'string') {
      report('condition', `${label} must be a string, found ${describeValue(source)}`, 'error', at);
      return;
    }
    const { condition, errors } = parseCondition(source, names);
    // Diagnostics quote the condition; a hostile one can be megabytes long.
    const quoted = source.length > 200 ? `${source.slice(0, 200)}…` : source;
    for (const error of errors) {
      // The column in the message counts within the condition; the diagnostic's is in the file.
      const inFile = at && locate.inside(at, source, error.column - 1);
      report('condition', `${label} '${quoted}', column ${error.column}: ${error.message}`, 'error', inFile);
    }
    if (!condition || errors.length > 0) return;
    if (condition.aggregation) {
      const pipe = source.indexOf('|');
      report(
        'condition',
        `${label} '${quoted}' uses the legacy '|' aggregation, replaced by correlation rules in Sigma v2`,
        'warning',
        at && locate.inside(at, source, pipe),
      );
    }
    conditions.push(condition);
  });
  return conditions;
}

// ---------------------------------------------------------------------------------------------
// Search identifiers

function parseSearchIdentifier(name: string, value: unknown, report: Report, locate: Locate, at: Position | undefined): SearchIdentifier {
  const where = `search identifier '${name}'`;
  const shape = (message: string): void => report('detection-shape', `${where}: ${message}`, 'error', at);
  if (isMap(value)) {
    if (Object.keys(value).length === 0) {
      shape('is an empty map');
      return { name, groups: [] };
    }
    return { name, groups: [parseFieldMap(value, where, report, locate)] };
  }
  if (Array.isArray(value)) return { name, groups: parseList(value, where, report, locate, at) };
  if (isScalar(value) && value !== null) {
    // A lone value is a one-keyword search (pySigma accepts it).
    return { name, groups: [[{ kind: 'keyword', modifiers: [], values: [value] }]] };
  }
  shape(`must be a map, a list of maps or a list of keywords, found ${describeValue(value)}`);
  return { name, groups: [] };
}

/** A list of maps is an OR of groups; plain values are keywords (one OR'ed keyword predicate). */
function parseList(items: unknown[], where: string, report: Report, locate: Locate, at: Position | undefined): Predicate[][] {
  if (items.length === 0) {
    report('detection-shape', `${where}: is an empty list`, 'error', at);
    return [];
  }
  const groups: Predicate[][] = [];
  const keywords: SigmaScalar[] = [];
  items.forEach((item, index) => {
    const itemAt = locate.value(items, index) ?? at;
    if (isMap(item)) {
      if (Object.keys(item).length === 0) report('detection-shape', `${where}: item ${index + 1} is an empty map`, 'error', itemAt);
      else groups.push(parseFieldMap(item, `${where}, item ${index + 1}`, report, locate));
    } else if (isScalar(item)) {
      keywords.push(item);
    } else {
      report('detection-shape', `${where}: item ${index + 1} must be a map or a plain value, found ${describeValue(item)}`, 'error', itemAt);
    }
  });
  if (keywords.length > 0) groups.push([{ kind: 'keyword', modifiers: [], values: keywords }]);
  return groups;
}

/** One map = one AND group of predicates. */
function parseFieldMap(map: Record<string, unknown>, where: string, report: Report, locate: Locate): Predicate[] {
  const predicates: Predicate[] = [];
  for (const [key, raw] of Object.entries(map)) {
    const at = locate.key(map, key);
    // Problems of the key (modifiers) point at the key, problems of a value at that value.
    const reportAt: Report = (code, message, severity, position) => report(code, message, severity, position ?? at);
    const valueAt = (index: number) => (Array.isArray(raw) ? locate.value(raw, index) : locate.value(map, key));
    const predicate = parseFieldItem(key, raw, where, reportAt, valueAt);
    if (predicate) predicates.push(predicate);
  }
  return predicates;
}

/** `Field|mod1|mod2: value-or-list`; an empty field name (`'|all': [...]`) is a keyword search. */
function parseFieldItem(key: string, raw: unknown, where: string, report: Report, valueAt: (index: number) => Position | undefined): Predicate | undefined {
  const [field = '', ...written] = key.split('|');
  const modifiers = written.map((mod) => mod.toLowerCase());
  const item = `${where}, '${key}'`;
  for (const message of validateModifiers(modifiers)) {
    const code = message.startsWith('unknown modifier') ? 'unknown-modifier' : 'invalid-modifier';
    report(code, `${item}: ${message}`);
  }
  const values = parseValues(raw, item, report, valueAt);
  if (!values) return undefined;
  checkValues(modifiers, values, item, report, valueAt);
  return field === '' ? { kind: 'keyword', modifiers, values } : { kind: 'field', field, modifiers, values };
}

function parseValues(raw: unknown, item: string, report: Report, valueAt: (index: number) => Position | undefined): SigmaScalar[] | undefined {
  if (isScalar(raw)) return [raw];
  if (!Array.isArray(raw)) {
    report('detection-shape', `${item}: value must be a plain value or a list of them, found ${describeValue(raw)}`);
    return undefined;
  }
  if (raw.length === 0) report('detection-shape', `${item}: value is an empty list`);
  const values: SigmaScalar[] = [];
  raw.forEach((value, index) => {
    if (isScalar(value)) values.push(value);
    else report('detection-shape', `${item}: value ${index + 1} must be a plain value, found ${describeValue(value)}`, 'error', valueAt(index));
  });
  return values;
}

/** Value checks the modifiers imply (spec: `exists` takes a boolean, `lt`… a number). */
function checkValues(modifiers: string[], values: SigmaScalar[], item: string, report: Report, valueAt: (index: number) => Position | undefined): void {
  const families = new Set(modifiers.map((mod) => lookupModifier(mod)?.family));
  const bad = (expected: string, test: (value: SigmaScalar) => boolean): void => {
    const wrong = values.findIndex((value) => !test(value));
    if (wrong !== -1) report('detection-shape', `${item}: expects ${expected}, found ${describeValue(values[wrong])}`, 'error', valueAt(wrong));
  };
  if (families.has('exists')) bad('true or false', (value) => typeof value === 'boolean');
  if (families.has('regex')) {
    values.forEach((value, index) => {
      const problem = typeof value === 'string' ? regexSyntaxError(value) : undefined;
      if (problem) report('invalid-regex', `${item}: invalid regular expression: ${problem}`, 'error', valueAt(index));
    });
  }
  if (families.has('compare') || families.has('time'))
    bad('a number', (value) => typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))));
}

/**
 * The syntax error of a `re` value, if any. Sigma regexes are PCRE-flavoured, so the spellings
 * JavaScript lacks (leading `(?i)`, `(?P<name>`, `(?P=name)`) are rewritten before its parser
 * checks the rest. Only compiled, never run: bounded time whatever the pattern.
 */
function regexSyntaxError(pattern: string): string | undefined {
  const source = pattern
    .replace(/^\(\?[a-zA-Z]+\)/, '')
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function isMap(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null; // not a Date or other class instance
}

function isScalar(value: unknown): value is SigmaScalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (isMap(value)) return 'a map';
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return String(value);
}
