/**
 * Sigma `re` values as bounded JavaScript regular expressions. Sigma regexes are PCRE-flavoured
 * (pySigma passes them to backends verbatim), so a few constructs are translated; those with no
 * JavaScript equivalent make the value "not evaluable" rather than silently wrong.
 *
 * V8 backtracks, so a pattern such as `(a+)+$` can take exponential time. The evaluator runs
 * inside the site build, where a hang is unacceptable: patterns that can backtrack
 * exponentially (an unbounded quantifier around a group that itself repeats or alternates) are
 * refused, and inputs are capped so polynomial patterns stay fast.
 */

export interface RegexFlags {
  ignorecase?: boolean;
  multiline?: boolean;
  dotall?: boolean;
}

export type CompiledRegex = { ok: true; regex: RegExp } | { ok: false; reason: string };

/** Longer field values are not searched (the result is "not evaluable"): bounds polynomial patterns. */
export const REGEX_INPUT_LIMIT = 65_536;

/** `{n,m}` with m above this counts as unbounded when judging nesting. */
const LARGE_REPEAT = 32;

export function compileSigmaRegex(pattern: string, flags: RegexFlags = {}): CompiledRegex {
  const translated = translate(pattern);
  if (!translated.ok) return translated;
  translated.source = dropLeadingRepeat(collapseRepeats(translated.source));
  const risk = catastrophicRisk(translated.source);
  if (risk) return { ok: false, reason: risk };
  const f = { ...flags, ...translated.flags };
  const jsFlags = `${f.ignorecase ? 'i' : ''}${f.multiline ? 'm' : ''}${f.dotall ? 's' : ''}`;
  try {
    return { ok: true, regex: new RegExp(translated.source, jsFlags) };
  } catch (error) {
    return { ok: false, reason: `invalid regular expression: ${(error as Error).message}` };
  }
}

/** Searches (Sigma `re` is unanchored); undefined when the input is too long to search safely. */
export function searchBounded(regex: RegExp, input: string): boolean | undefined {
  if (input.length > REGEX_INPUT_LIMIT) return undefined;
  regex.lastIndex = 0;
  return regex.test(input);
}

/**
 * An unanchored search for `A+R` (A one character or class) succeeds exactly where `AR` does —
 * at the last A — and `A*R` where `R` does; but V8 retries the greedy run from every start, which
 * is quadratic on long runs (`\w+\`…` over a 15,000-character script block took seconds). Only
 * without top-level alternation, where the atom heads the whole pattern.
 */
export function dropLeadingRepeat(source: string): string {
  const m = /^(\\[wWsSdD]|\.|\[(?:\\.|[^\]\\])+\])([*+])(\??)/.exec(source);
  if (!m || hasTopLevelAlternation(source)) return source;
  const rest = source.slice(m[0].length);
  if (/^[*+?{]/.test(rest) || rest === '') return source;
  return m[2] === '+' ? m[1] + rest : rest;
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

type Translation = { ok: true; source: string; flags: RegexFlags } | { ok: false; reason: string };

/**
 * `.*.*.*x` or `\s*\s+` match exactly what `.*x` and `\s+` match, but backtrack polynomially
 * (O(n^k) for k repeats). A run of the same atom repeated without bound is folded into one:
 * `A*A*` → `A*`, and any `+` in the run makes it `A+`. Escapes and classes are whole atoms.
 */
export function collapseRepeats(source: string): string {
  const tokens: { atom: string; quantifier: string }[] = [];
  let i = 0;
  while (i < source.length) {
    let end = i + 1;
    if (source[i] === '\\') end = i + 2;
    else if (source[i] === '[') {
      end = i + 1;
      if (source[end] === '^') end++;
      if (source[end] === ']') end++;
      while (end < source.length && source[end] !== ']') end += source[end] === '\\' ? 2 : 1;
      end++;
    }
    const atom = source.slice(i, end);
    const q = /^[*+]\??/.exec(source.slice(end))?.[0] ?? '';
    tokens.push({ atom, quantifier: q });
    i = end + q.length;
  }
  const out: { atom: string; quantifier: string }[] = [];
  const repeatable = (t: { atom: string }) => t.atom !== '(' && t.atom !== ')' && t.atom !== '|';
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && t.quantifier && last.quantifier && repeatable(t) && last.atom === t.atom) {
      if (t.quantifier.startsWith('+')) last.quantifier = `+${last.quantifier.slice(1)}`;
      continue;
    }
    out.push({ ...t });
  }
  return out.map((t) => t.atom + t.quantifier).join('');
}

const INLINE_FLAG_LETTERS: Record<string, keyof RegexFlags> = { i: 'ignorecase', m: 'multiline', s: 'dotall' };

/** PCRE/Python syntax → JavaScript: leading inline flags, named groups, \A \Z; refuses the rest. */
function translate(pattern: string): Translation {
  let source = pattern;
  const flags: RegexFlags = {};
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (leading) {
    for (const letter of leading[1]!) {
      const flag = INLINE_FLAG_LETTERS[letter];
      if (!flag) return { ok: false, reason: `unsupported inline flag '${letter}'` };
      flags[flag] = true;
    }
    source = source.slice(leading[0].length);
  }
  if (/\(\?[a-zA-Z]*\)/.test(source) || /\(\?[a-zA-Z-]+:/.test(source)) return { ok: false, reason: 'inline flags inside the pattern' };
  if (/\(\?>/.test(source)) return { ok: false, reason: 'atomic groups are not supported' };
  if (/[*+?}]\+/.test(structureOnly(source))) return { ok: false, reason: 'possessive quantifiers are not supported' };
  if (/\[\[:[a-z]+:\]\]/.test(source)) return { ok: false, reason: 'POSIX character classes are not supported' };
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\[Zz]/g, '$1$');
  return { ok: true, source, flags };
}

/** The pattern with escaped characters blanked, so structure checks ignore `\*`, `\(` … */
function withoutEscapes(source: string): string {
  return source.replace(/\\./gs, '__');
}

/** Escapes and character-class contents blanked: only the operators remain. */
function structureOnly(source: string): string {
  return withoutEscapes(source).replace(/\[\^?\]?[^\]]*\]/g, (m) => '_'.repeat(m.length));
}

interface GroupInfo {
  /** The group's content repeats without bound somewhere. */
  repeats: boolean;
  /** The group's content alternates (`|`) at its own level or deeper. */
  alternates: boolean;
}

/**
 * A reason when an unbounded quantifier applies to a group whose content can itself match in
 * many ways (it repeats or alternates): the classic exponential-backtracking shapes
 * `(a+)+`, `(a*)*`, `(a|a)*`, `(\w+\s?)*`. Character classes are skipped as units.
 */
export function catastrophicRisk(source: string): string | undefined {
  const s = withoutEscapes(source);
  const stack: GroupInfo[] = [{ repeats: false, alternates: false }];
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '[') {
      i = skipClass(s, i);
      i = afterQuantifier(s, i, stack[stack.length - 1]!);
      continue;
    }
    if (ch === '(') {
      stack.push({ repeats: false, alternates: false });
      i++;
      continue;
    }
    if (ch === ')') {
      const inner = stack.length > 1 ? stack.pop()! : { repeats: false, alternates: false };
      const parent = stack[stack.length - 1]!;
      const q = quantifierAt(s, i + 1);
      if (q.unbounded && (inner.repeats || inner.alternates)) {
        return `nested quantifier: an unbounded repeat of a group that ${inner.repeats ? 'repeats' : 'alternates'} can backtrack exponentially`;
      }
      parent.repeats ||= inner.repeats || q.unbounded;
      parent.alternates ||= inner.alternates;
      i = q.end;
      continue;
    }
    if (ch === '|') {
      stack[stack.length - 1]!.alternates = true;
      i++;
      continue;
    }
    i = afterQuantifier(s, i + 1, stack[stack.length - 1]!);
  }
  return undefined;
}

function afterQuantifier(s: string, i: number, group: GroupInfo): number {
  const q = quantifierAt(s, i);
  if (q.unbounded) group.repeats = true;
  return q.end;
}

function skipClass(s: string, start: number): number {
  let i = start + 1;
  if (s[i] === '^') i++;
  if (s[i] === ']') i++;
  while (i < s.length && s[i] !== ']') i++;
  return i + 1;
}

/** The quantifier starting at i (if any): whether it is unbounded, and where it ends. */
function quantifierAt(s: string, i: number): { unbounded: boolean; end: number } {
  const ch = s[i];
  let end = i;
  let unbounded = false;
  if (ch === '*' || ch === '+') {
    unbounded = true;
    end = i + 1;
  } else if (ch === '?') {
    end = i + 1;
  } else if (ch === '{') {
    const m = /^\{(\d*)(,?)(\d*)\}/.exec(s.slice(i));
    if (m) {
      end = i + m[0].length;
      unbounded = m[2] === ',' ? m[3] === '' || Number(m[3]) > LARGE_REPEAT : Number(m[1]) > LARGE_REPEAT;
    }
  }
  if (end > i && s[end] === '?') end++; // lazy variant
  return { unbounded, end };
}
