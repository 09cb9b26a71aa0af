/**
 * Sigma value modifiers: one registry table (name → behaviour), following the Sigma v2.1
 * modifiers appendix and pySigma's `modifier_mapping`. Unknown names are errors naming them.
 */

/**
 * - match: decides how the value is compared (contains, re, cidr, exists, fieldref …)
 * - transform: rewrites the value (or, for time parts, the field) before matching
 * - flag: adjusts matching (regex flags, case sensitivity)
 * - compare: ordered/negated comparison (lt … gte, neq)
 * - meta: changes how the values are combined (all)
 */
export type ModifierKind = 'match' | 'transform' | 'flag' | 'compare' | 'meta';

/** Finer families used only to check combinations. */
export type ModifierFamily =
  | 'position'
  | 'regex'
  | 'regex-flag'
  | 'utf16'
  | 'base64'
  | 'windash'
  | 'placeholder'
  | 'cidr'
  | 'exists'
  | 'fieldref'
  | 'compare'
  | 'negate'
  | 'time'
  | 'case'
  | 'list';

export interface ModifierInfo {
  name: string;
  kind: ModifierKind;
  family: ModifierFamily;
  description: string;
  /** The name this one is an alias of (`wide` → `utf16le`, `i` → `ignorecase` …). */
  aliasOf?: string;
}

type Entry = Omit<ModifierInfo, 'name'>;

const REGISTRY: Record<string, Entry> = {
  contains: { kind: 'match', family: 'position', description: 'Value found anywhere in the field (`*value*`).' },
  startswith: { kind: 'match', family: 'position', description: 'Field starts with the value (`value*`).' },
  endswith: { kind: 'match', family: 'position', description: 'Field ends with the value (`*value`).' },
  re: { kind: 'match', family: 'regex', description: 'Value is a regular expression (PCRE subset), case-sensitive, unanchored.' },
  cidr: { kind: 'match', family: 'cidr', description: 'Field is an IP address inside the IPv4/IPv6 network.' },
  exists: { kind: 'match', family: 'exists', description: 'Field is present (true) or absent (false).' },
  fieldref: { kind: 'match', family: 'fieldref', description: 'Compare with the value of the named field of the same event.' },
  all: { kind: 'meta', family: 'list', description: 'All values of the list must match (AND instead of OR).' },
  cased: { kind: 'flag', family: 'case', description: 'Match case-sensitively.' },
  ignorecase: { kind: 'flag', family: 'regex-flag', description: 'Regular expression flag: case-insensitive.' },
  i: { kind: 'flag', family: 'regex-flag', aliasOf: 'ignorecase', description: 'Regular expression flag: case-insensitive.' },
  multiline: { kind: 'flag', family: 'regex-flag', description: 'Regular expression flag: `^`/`$` match at line breaks.' },
  m: { kind: 'flag', family: 'regex-flag', aliasOf: 'multiline', description: 'Regular expression flag: `^`/`$` match at line breaks.' },
  dotall: { kind: 'flag', family: 'regex-flag', description: 'Regular expression flag: `.` also matches newlines.' },
  s: { kind: 'flag', family: 'regex-flag', aliasOf: 'dotall', description: 'Regular expression flag: `.` also matches newlines.' },
  base64: { kind: 'transform', family: 'base64', description: 'Value is base64-encoded.' },
  base64offset: { kind: 'transform', family: 'base64', description: 'Value base64-encoded at the three byte offsets, to find it inside longer base64.' },
  utf16le: { kind: 'transform', family: 'utf16', description: 'Value encoded as UTF-16 little-endian (before base64).' },
  wide: { kind: 'transform', family: 'utf16', aliasOf: 'utf16le', description: 'Value encoded as UTF-16 little-endian (before base64).' },
  utf16be: { kind: 'transform', family: 'utf16', description: 'Value encoded as UTF-16 big-endian (before base64).' },
  utf16: { kind: 'transform', family: 'utf16', description: 'Value encoded as UTF-16 with a byte-order mark (before base64).' },
  windash: { kind: 'transform', family: 'windash', description: 'Each parameter dash may be `-`, `/`, en dash, em dash or horizontal bar.' },
  expand: { kind: 'transform', family: 'placeholder', description: 'Value holds `%placeholder%` names resolved by a processing pipeline.' },
  lt: { kind: 'compare', family: 'compare', description: 'Field is less than the value.' },
  lte: { kind: 'compare', family: 'compare', description: 'Field is less than or equal to the value.' },
  gt: { kind: 'compare', family: 'compare', description: 'Field is greater than the value.' },
  gte: { kind: 'compare', family: 'compare', description: 'Field is greater than or equal to the value.' },
  neq: { kind: 'compare', family: 'negate', description: 'Field differs from the value(s).' },
  minute: { kind: 'transform', family: 'time', description: 'Compare the minute (0–59) of a timestamp field.' },
  hour: { kind: 'transform', family: 'time', description: 'Compare the hour (0–23) of a timestamp field.' },
  day: { kind: 'transform', family: 'time', description: 'Compare the day of the month (1–31) of a timestamp field.' },
  week: { kind: 'transform', family: 'time', description: 'Compare the week of the year (1–52) of a timestamp field.' },
  month: { kind: 'transform', family: 'time', description: 'Compare the month (1–12) of a timestamp field.' },
  year: { kind: 'transform', family: 'time', description: 'Compare the year of a timestamp field.' },
};

/** Registry entry for a name (case-insensitive), or undefined when Sigma defines no such modifier. */
export function lookupModifier(name: string): ModifierInfo | undefined {
  const key = name.toLowerCase();
  const entry = Object.hasOwn(REGISTRY, key) ? REGISTRY[key] : undefined;
  return entry && { name: key, ...entry };
}

/** Families of which a chain may hold at most one member. */
const AT_MOST_ONE: ModifierFamily[] = ['position', 'utf16', 'base64', 'compare', 'time'];

/**
 * Families that cannot be combined with the key family. `re`, `cidr` and `exists` replace the
 * value entirely (pySigma: "only applicable to unmodified values"), so they combine with little.
 */
const INCOMPATIBLE: [ModifierFamily, ModifierFamily[]][] = [
  ['exists', ['position', 'regex', 'utf16', 'base64', 'windash', 'placeholder', 'cidr', 'fieldref', 'compare', 'negate', 'time', 'case', 'list']],
  ['regex', ['position', 'utf16', 'base64', 'windash', 'cidr', 'fieldref', 'compare', 'time', 'case']],
  ['cidr', ['position', 'utf16', 'base64', 'windash', 'placeholder', 'fieldref', 'compare', 'time', 'case']],
  ['compare', ['position', 'utf16', 'base64', 'windash', 'fieldref', 'case']],
  ['fieldref', ['utf16', 'base64', 'windash', 'placeholder', 'compare', 'time']],
];

/** [earlier, later]: encodings apply to the plain value, so they precede what consumes it. */
const ORDER: [ModifierFamily, ModifierFamily][] = [
  ['utf16', 'base64'],
  ['base64', 'position'],
];

/** Error messages for unknown names and invalid combinations; empty when the chain is valid. */
export function validateModifiers(mods: string[]): string[] {
  const errors: string[] = [];
  const known: ModifierInfo[] = [];
  for (const name of mods) {
    if (name === '') errors.push("empty modifier name (doubled or trailing '|')");
    else {
      const info = lookupModifier(name);
      if (info) known.push(info);
      else errors.push(`unknown modifier '${name}'`);
    }
  }
  return [...errors, ...duplicateErrors(known), ...combinationErrors(known), ...orderErrors(known)];
}

function canonicalName(info: ModifierInfo): string {
  return info.aliasOf ?? info.name;
}

function duplicateErrors(infos: ModifierInfo[]): string[] {
  const seen = new Set<string>();
  const errors: string[] = [];
  for (const info of infos) {
    const name = canonicalName(info);
    if (seen.has(name)) errors.push(`modifier '${info.name}' is given twice`);
    seen.add(name);
  }
  return errors;
}

function combinationErrors(infos: ModifierInfo[]): string[] {
  const errors: string[] = [];
  const byFamily = (family: ModifierFamily) => infos.filter((info) => info.family === family);
  for (const family of AT_MOST_ONE) {
    const members = byFamily(family).filter((info, i, all) => all.findIndex((o) => canonicalName(o) === canonicalName(info)) === i);
    if (members.length > 1) errors.push(`modifiers ${quoteList(members)} cannot be combined`);
  }
  for (const [family, others] of INCOMPATIBLE) {
    const first = byFamily(family)[0];
    if (!first) continue;
    const clashing = infos.filter((info) => others.includes(info.family));
    if (clashing.length > 0) errors.push(`modifier '${first.name}' cannot be combined with ${quoteList(clashing)}`);
  }
  const flag = byFamily('regex-flag')[0];
  if (flag && byFamily('regex').length === 0) errors.push(`modifier '${flag.name}' is a regular expression flag and needs 're'`);
  return errors;
}

function orderErrors(infos: ModifierInfo[]): string[] {
  const errors: string[] = [];
  for (const [earlier, later] of ORDER) {
    const first = infos.findIndex((info) => info.family === earlier);
    const before = infos.findIndex((info) => info.family === later);
    if (first >= 0 && before >= 0 && before < first) {
      errors.push(`modifier '${infos[before]!.name}' must come after '${infos[first]!.name}'`);
    }
  }
  return errors;
}

function quoteList(infos: ModifierInfo[]): string {
  return infos.map((info) => `'${info.name}'`).join(', ');
}

/**
 * The indicator "operator": what one value matches — the modifier chain as written, lower-cased,
 * without `all` (that only says how a list of values combines); plain equality is 'equals'.
 * So `CommandLine|contains|all: http` and `CommandLine|contains: http` are one indicator.
 */
export function operatorOf(mods: string[]): string {
  return (
    mods
      .map((mod) => mod.toLowerCase())
      .filter((mod) => mod !== 'all')
      .join('|') || 'equals'
  );
}
