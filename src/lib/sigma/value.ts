/**
 * Sigma string values: wildcards and the backslash escape rules, plus a canonical form so the
 * same check written twice (other case, other escaping) compares equal.
 */
import type { SigmaScalar } from './detection.ts';

export type SigmaStringPart = { type: 'literal'; text: string } | { type: 'wildcard'; char: '*' | '?' };

/** The characters a backslash can escape; before anything else a backslash is itself literal. */
const ESCAPABLE = new Set(['*', '?', '\\']);

/**
 * Splits a plain (non-`re`) Sigma string into literals and wildcards. `\*`, `\?` and `\\` are
 * escapes; any other backslash (`\net.exe`, a trailing `\`) is a literal backslash.
 */
export function parseSigmaString(raw: string): SigmaStringPart[] {
  const parts: SigmaStringPart[] = [];
  let text = '';
  const flush = (): void => {
    if (text) parts.push({ type: 'literal', text });
    text = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    const next = raw[i + 1];
    if (ch === '\\' && next !== undefined && ESCAPABLE.has(next)) {
      text += next;
      i++;
    } else if (ch === '*' || ch === '?') {
      flush();
      parts.push({ type: 'wildcard', char: ch });
    } else {
      text += ch;
    }
  }
  flush();
  return parts;
}

/**
 * Writes parts back as a Sigma string with the fewest escapes: `*` and `?` in literals are
 * escaped, and a literal backslash is doubled only where it would otherwise start an escape
 * (before `*`, `?` or `\`), so `\net.exe` stays readable.
 */
export function formatSigmaString(parts: SigmaStringPart[]): string {
  const chars = parts.flatMap<{ char: string; literal: boolean }>((part) =>
    part.type === 'wildcard' ? [{ char: part.char, literal: false }] : [...part.text].map((char) => ({ char, literal: true })),
  );
  return chars
    .map(({ char, literal }, i) => {
      if (!literal) return char;
      if (char === '*' || char === '?') return `\\${char}`;
      if (char === '\\') return ESCAPABLE.has(chars[i + 1]?.char ?? '') ? '\\\\' : '\\';
      return char;
    })
    .join('');
}

/** Canonical form of `null` (absent or empty field): a noncharacter, so no rule text collides with it. */
export const NULL_CANONICAL = '\uffffnull';

/**
 * Normalises a value so equal checks compare equal: escapes rewritten minimally, lower-cased
 * unless `cased`; numbers and booleans as their text (EventID 4688 equals '4688').
 * For `re` values pass `{ regex: true }`: escapes belong to the regex and are kept verbatim.
 */
export function canonicalValue(value: SigmaScalar, cased: boolean, options: { regex?: boolean } = {}): string {
  if (value === null) return NULL_CANONICAL;
  if (typeof value !== 'string') return String(value);
  const text = options.regex ? value : formatSigmaString(parseSigmaString(value));
  return cased ? text : text.toLowerCase();
}
