/**
 * Sigma wildcard values (`*`, `?`) matched without regular expressions. A value such as
 * `*a*a*a*a*a*b` turned into a backtracking RegExp takes polynomial time on a long command
 * line; this two-pointer matcher (the classic greedy wildcard algorithm) is O(text × pattern)
 * at worst and linear in practice.
 */
import type { SigmaStringPart } from '../sigma/value.ts';
import { mayContain, valueGrams } from './grams.ts';

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

/**
 * A matcher for parts: with `*` as the only wildcard, the literal pieces are found in order with
 * native `indexOf` (the leftmost piece is always the best choice, so this is exact and linear);
 * with `?`, the two-pointer matcher below. Script blocks of 15,000 characters made the
 * character-by-character loop a measurable share of the predict stage.
 */
export function globMatcher(parts: SigmaStringPart[]): (text: string) => boolean {
  if (parts.some((p) => p.type === 'wildcard' && p.char === '?')) {
    const pattern = globPattern(parts);
    return (text) => globMatch(pattern, text);
  }
  const pieces: string[] = [''];
  for (const p of parts) {
    if (p.type === 'wildcard') pieces.push('');
    else pieces[pieces.length - 1] += p.text;
  }
  const head = pieces[0]!;
  const tail = pieces.length > 1 ? pieces[pieces.length - 1]! : undefined;
  const middle = pieces.slice(1, -1).filter((x) => x !== '');
  const longest = valueGrams([...pieces].sort((a, b) => b.length - a.length)[0] ?? '');
  return (text) => {
    if (tail === undefined) return text === head;
    if (!mayContain(text, longest)) return false;
    if (!text.startsWith(head)) return false;
    let at = head.length;
    for (const piece of middle) {
      const i = text.indexOf(piece, at);
      if (i < 0) return false;
      at = i + piece.length;
    }
    return text.length - tail.length >= at && text.endsWith(tail);
  };
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
