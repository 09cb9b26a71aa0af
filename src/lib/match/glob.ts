/**
 * A compiled Sigma wildcard value for the evaluator: the fast path for star-only values in front
 * of the one matcher, `sigma/glob.ts`.
 */
import type { SigmaStringPart } from '../sigma/value.ts';
import { globMatch, globPattern } from '../sigma/glob.ts';
import { mayContain, valueGrams } from './grams.ts';

/**
 * A matcher for parts: with `*` as the only wildcard, the literal pieces are found in order with
 * native `indexOf` (the leftmost piece is always the best choice, so this is exact and linear);
 * with `?`, the two-pointer matcher of `sigma/glob.ts`. Script blocks of 15,000 characters made the
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
