/**
 * One Sigma value under its modifier chain → a check on one field value. The names and their
 * families come from the shared registry (`sigma/modifiers.ts`); this module gives each its
 * matching behaviour. A chain that cannot be decided statically (`expand`, timestamp parts,
 * a refused regex) compiles to a reason instead of a check, and evaluates as "unknown".
 */
import type { SigmaScalar } from '../sigma/detection.ts';
import { lookupModifier } from '../sigma/modifiers.ts';
import { parseSigmaString, type SigmaStringPart } from '../sigma/value.ts';
import { globMatcher } from './glob.ts';
import { mayContain, valueGrams } from './grams.ts';
import { inNetwork, parseNetwork } from './cidr.ts';
import { base64, base64offset, utf16, windash, type ValueForm } from './value-transforms.ts';
import { fieldLower, fieldText, type PreparedEvent } from './event.ts';
import { compileSigmaRegex, REGEX_INPUT_LIMIT, searchBounded } from './regex.ts';

/** true / false, or undefined when the outcome cannot be known statically. */
export type Truth = boolean | undefined;

/**
 * Checks one field value (absent: undefined). `lower` is the lower-cased text, computed once
 * per event. `event` is there for `fieldref`.
 */
export type ValueCheck = (text: string | undefined, lower: string | undefined, event: PreparedEvent) => Truth;

/** A `contains` check on one literal, tagged so a predicate can merge many into one regex. */
export type LiteralCheck = ValueCheck & { contains?: { text: string; cased: boolean } };

export type CompiledValue = { ok: true; check: ValueCheck } | { ok: false; reason: string };

const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
const POSITIONS = new Set(['contains', 'startswith', 'endswith']);

/** Canonical modifier names (aliases resolved), or the first unknown name. */
export function canonicalModifiers(modifiers: string[]): { ok: true; names: string[] } | { ok: false; reason: string } {
  const names: string[] = [];
  for (const name of modifiers) {
    const info = lookupModifier(name);
    if (!info) return { ok: false, reason: `unknown modifier '${name}'` };
    names.push(info.aliasOf ?? info.name);
  }
  return { ok: true, names };
}

/** Compiles one value; `modifiers` are canonical names without `all` mattering here. */
export function compileValue(modifiers: string[], value: SigmaScalar): CompiledValue {
  const mods = new Set(modifiers);
  if (mods.has('expand')) return { ok: false, reason: "'expand' placeholders are resolved by a pipeline, unknown statically" };
  const time = modifiers.find((m) => TIME_PARTS.has(m));
  if (time) return { ok: false, reason: `'${time}' compares a timestamp, unknown statically` };
  if (mods.has('exists')) return compileExists(value);
  if (value === null) return negate(mods, { ok: true, check: (text) => text === undefined || text === '' });
  if (mods.has('re')) return negate(mods, compileRegex(mods, value));
  if (mods.has('cidr')) return negate(mods, compileCidr(value));
  if (mods.has('fieldref')) return negate(mods, compileFieldref(modifiers, value));
  const comparison = modifiers.find((m) => m === 'lt' || m === 'lte' || m === 'gt' || m === 'gte');
  if (comparison) return compileComparison(comparison, value);
  return negate(mods, compileString(modifiers, value));
}

/** `neq` turns the equality into its negation; the field must be present to differ. */
function negate(mods: Set<string>, compiled: CompiledValue): CompiledValue {
  if (!mods.has('neq') || !compiled.ok) return compiled;
  const check = compiled.check;
  return {
    ok: true,
    check: (text, lower, event) => {
      if (text === undefined) return false;
      const r = check(text, lower, event);
      return r === undefined ? undefined : !r;
    },
  };
}

/**
 * Where in `text` a value that matched it matches, to point at it (a payload's line, the window a
 * page shows): the regular expression's first match for `re`, else the first place of the value's
 * longest literal piece in any of its `windash` forms (the last for a plain `endswith`),
 * case-insensitively unless `cased`; -1 when not found (an encoded form: base64, utf16 …).
 */
export function matchOffset(modifiers: string[], value: string, text: string): number {
  const canonical = canonicalModifiers(modifiers);
  const mods = new Set(canonical.ok ? canonical.names : modifiers);
  if (mods.has('re')) {
    const compiled = compileSigmaRegex(value, { ignorecase: mods.has('ignorecase'), multiline: mods.has('multiline'), dotall: mods.has('dotall') });
    if (!compiled.ok || text.length > REGEX_INPUT_LIMIT) return -1;
    return compiled.regex.exec(text)?.index ?? -1;
  }
  if (['base64', 'base64offset', 'utf16', 'utf16le', 'utf16be', 'wide'].some((m) => mods.has(m))) return -1;
  const form: ValueForm = { parts: parseSigmaString(value), binary: false };
  const cased = mods.has('cased');
  const haystack = cased ? text : text.toLowerCase();
  let at = -1;
  // `windash`: the dash the text has (`/s` where the rule says `-s`).
  for (const variant of mods.has('windash') ? windash(form) : [form]) {
    const literal = variant.parts.reduce((longest, part) => (part.type === 'literal' && part.text.length > longest.length ? part.text : longest), '');
    if (!literal) continue;
    const needle = cased ? literal : literal.toLowerCase();
    // `endswith` without wildcards matches at the end: the last place, not the first.
    const i = variant.parts.length === 1 && mods.has('endswith') ? haystack.lastIndexOf(needle) : haystack.indexOf(needle);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  return at;
}

function compileExists(value: SigmaScalar): CompiledValue {
  const wanted = value === true || (typeof value === 'string' && /^(true|yes)$/i.test(value));
  return { ok: true, check: (text) => (text !== undefined) === wanted };
}

function compileRegex(mods: Set<string>, value: SigmaScalar): CompiledValue {
  const compiled = compileSigmaRegex(String(value), {
    ignorecase: mods.has('ignorecase'),
    multiline: mods.has('multiline'),
    dotall: mods.has('dotall'),
  });
  if (!compiled.ok) return { ok: false, reason: `regular expression not evaluable: ${compiled.reason}` };
  const regex = compiled.regex;
  return { ok: true, check: (text) => (text === undefined ? false : searchBounded(regex, text)) };
}

function compileCidr(value: SigmaScalar): CompiledValue {
  const network = parseNetwork(String(value));
  if (!network) return { ok: false, reason: `invalid network '${String(value)}'` };
  return { ok: true, check: (text) => text !== undefined && inNetwork(network, text) };
}

/** Compares with another field of the same event; position and case modifiers still apply. */
function compileFieldref(modifiers: string[], value: SigmaScalar): CompiledValue {
  const other = String(value);
  const cased = modifiers.includes('cased');
  const position = modifiers.find((m) => POSITIONS.has(m));
  return {
    ok: true,
    check: (text, lower, event) => {
      const ref = cased ? fieldText(event, other) : fieldLower(event, other);
      const own = cased ? text : lower;
      if (own === undefined || ref === undefined) return false;
      if (position === 'contains') return own.includes(ref);
      if (position === 'startswith') return own.startsWith(ref);
      if (position === 'endswith') return own.endsWith(ref);
      return own === ref;
    },
  };
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

function compileComparison(op: string, value: SigmaScalar): CompiledValue {
  const bound = Number(value);
  if (value === null || typeof value === 'boolean' || value === '' || Number.isNaN(bound)) {
    return { ok: false, reason: `'${op}' needs a number, got '${String(value)}'` };
  }
  const cmp = COMPARE[op]!;
  return {
    ok: true,
    check: (text) => {
      if (text === undefined || text.trim() === '') return false;
      const n = Number(text);
      return !Number.isNaN(n) && cmp(n, bound);
    },
  };
}

/** Plain values: transformations in chain order, then the match type, then the comparison. */
function compileString(modifiers: string[], value: Exclude<SigmaScalar, null>): CompiledValue {
  const transformed = modifiers.some((m) => POSITIONS.has(m) || m === 'windash' || m.startsWith('utf16') || m.startsWith('base64'));
  if (typeof value === 'number' && !transformed) return { ok: true, check: numberEquals(value) };
  const text = typeof value === 'string' ? value : String(value);
  let forms: ValueForm[] = [{ parts: parseSigmaString(text), binary: false }];
  for (const mod of modifiers) {
    if (mod === 'windash') forms = forms.flatMap(windash);
    else if (mod === 'utf16le' || mod === 'utf16be' || mod === 'utf16') forms = forms.map((f) => utf16(f, mod));
    else if (mod === 'base64' || mod === 'base64offset') {
      const encoded = forms.map((f) => (mod === 'base64' ? (base64(f) ? [base64(f)!] : undefined) : base64offset(f)));
      if (encoded.some((e) => e === undefined)) return { ok: false, reason: `'${mod}' of a value with wildcards` };
      forms = encoded.flatMap((e) => e!);
    }
  }
  const position = modifiers.find((m) => POSITIONS.has(m));
  const cased = modifiers.includes('cased');
  const checks = forms.map((f) => compileParts(withPosition(f.parts, position), cased));
  if (checks.length === 1) return { ok: true, check: checks[0]! };
  return { ok: true, check: (t, l, e) => checks.some((c) => c(t, l, e) === true) };
}

/** Numbers compare as numbers where the event value is numeric (EventID 4688 = "4688"). */
function numberEquals(n: number): ValueCheck {
  const asText = String(n);
  return (text) => text !== undefined && (text === asText || (text.trim() !== '' && Number(text) === n));
}

const STAR: SigmaStringPart = { type: 'wildcard', char: '*' };

function withPosition(parts: SigmaStringPart[], position: string | undefined): SigmaStringPart[] {
  if (position === 'contains') return [STAR, ...parts, STAR];
  if (position === 'startswith') return [...parts, STAR];
  if (position === 'endswith') return [STAR, ...parts];
  return parts;
}

/**
 * Parts → the cheapest test: equality, startsWith, endsWith or includes when the only
 * wildcards are leading/trailing stars, the wildcard matcher of glob.ts otherwise. Case-insensitive tests
 * compare lower-cased literals with the event's lower-cased text.
 */
function compileParts(raw: SigmaStringPart[], cased: boolean): ValueCheck {
  const parts = collapseStars(raw.map((p) => (p.type === 'literal' && !cased ? { type: 'literal', text: p.text.toLowerCase() } : p)));
  const pick = (text: string | undefined, lower: string | undefined) => (cased ? text : lower);
  const isStar = (p: SigmaStringPart | undefined) => p?.type === 'wildcard' && p.char === '*';
  const literals = parts.filter((p) => p.type === 'literal');
  const simple = literals.length <= 1 && parts.every((p) => p.type === 'literal' || isStar(p));
  if (simple) {
    const lit = literals[0]?.type === 'literal' ? literals[0].text : '';
    const lead = isStar(parts[0]);
    const trail = parts.length > 1 && isStar(parts[parts.length - 1]);
    if (parts.length === 0) return (t, l) => pick(t, l) === '';
    if (parts.length === 1 && lead) return (t) => t !== undefined;
    if (lead && trail) {
      const grams = valueGrams(lit);
      const check: LiteralCheck = (t, l) => {
        const v = pick(t, l);
        return v !== undefined && mayContain(v, grams) && v.includes(lit);
      };
      check.contains = { text: lit, cased };
      return check;
    }
    if (lead) return (t, l) => pick(t, l)?.endsWith(lit) ?? false;
    if (trail) return (t, l) => pick(t, l)?.startsWith(lit) ?? false;
    return (t, l) => pick(t, l) === lit;
  }
  const match = globMatcher(parts);
  return (t, l) => {
    const v = pick(t, l);
    return v !== undefined && match(v);
  };
}

function collapseStars(parts: SigmaStringPart[]): SigmaStringPart[] {
  return parts.filter(
    (p, i) => !(p.type === 'wildcard' && p.char === '*' && parts[i - 1]?.type === 'wildcard' && (parts[i - 1] as { char: string }).char === '*'),
  );
}
