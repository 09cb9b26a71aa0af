/**
 * The one Sigma wildcard matcher (`*`, `?`), without regular expressions: for rule values and
 * for the identifier patterns of `1 of selection_*`. A value such as `*a*a*a*a*a*b` turned into a
 * backtracking RegExp takes polynomial time on a long command line (exponential for an `of`
 * pattern); this two-pointer matcher (the classic greedy wildcard algorithm) is
 * O(text × pattern) at worst and linear in practice.
 */
import type { SigmaStringPart } from './value.ts';

const STAR = -1;
const ANY = -2;

/** Parts → a pattern of UTF-16 code units, with STAR and ANY for the wildcards. */
export function globPattern(parts: SigmaStringPart[]): number[] {
  const out: number[] = [];
  for (const p of parts) {
    if (p.type === 'wildcard') out.push(p.char === '*' ? STAR : ANY);
    else for (let i = 0; i < p.text.length; i++) out.push(p.text.charCodeAt(i));
  }
  return out;
}

/** A condition's identifier pattern → a pattern: `*` is the only wildcard, nothing is escaped. */
export function identifierPattern(pattern: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < pattern.length; i++) out.push(pattern[i] === '*' ? STAR : pattern.charCodeAt(i));
  return out;
}

/** Whether the whole text matches the pattern. */
export function globMatch(pattern: number[], text: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern[p];
    if (p < pattern.length && (c === ANY || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === STAR) {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      // Let the last star swallow one more character and retry from there.
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === STAR) p++;
  return p === pattern.length;
}
