/**
 * A quick "certainly absent" test for substrings of long texts. Script blocks of loaded payloads
 * (up to 15,000 characters each, hundreds of them) meet every script-block rule, and scanning each
 * text once per rule value dominated the predict stage. Each long text gets a 65,536-bit map of
 * its hashed character trigrams (8 KiB, built once); a value with a trigram whose bit is clear is
 * not in the text, so `includes` runs only for values that may be there. The answer is never
 * changed, only skipped when it is certainly false.
 */

/** Texts shorter than this are scanned directly. */
export const GRAM_MIN_LENGTH = 2048;

const BITS = 16;
const MASK = (1 << BITS) - 1;

function gram(a: number, b: number, c: number): number {
  return (Math.imul(Math.imul(a, 0x01000193) ^ b, 0x01000193) ^ Math.imul(c, 0x5bd1e995)) & MASK;
}

const maps = new Map<string, Uint32Array>();

/** The trigram map of a (lower-cased) text, kept while the same texts keep coming back. */
function gramMap(text: string): Uint32Array {
  let map = maps.get(text);
  if (map) return map;
  map = new Uint32Array(1 << (BITS - 5));
  for (let i = 0; i + 2 < text.length; i++) {
    const g = gram(text.charCodeAt(i), text.charCodeAt(i + 1), text.charCodeAt(i + 2));
    map[g >>> 5]! |= 1 << (g & 31);
  }
  if (maps.size >= 4096) maps.clear();
  maps.set(text, map);
  return map;
}

/** The trigram hashes of a value (lower-cased by the caller when the text is), at most 12 spread over it. */
export function valueGrams(value: string): Int32Array {
  const all: number[] = [];
  for (let i = 0; i + 2 < value.length; i++) all.push(gram(value.charCodeAt(i), value.charCodeAt(i + 1), value.charCodeAt(i + 2)));
  if (all.length <= 12) return Int32Array.from(all);
  const step = (all.length - 1) / 11;
  return Int32Array.from({ length: 12 }, (_, k) => all[Math.round(k * step)]!);
}

/** False when the value is certainly not a substring of the text; true when it may be. */
export function mayContain(text: string, grams: Int32Array): boolean {
  if (text.length < GRAM_MIN_LENGTH || grams.length === 0) return true;
  const map = gramMap(text);
  for (let i = 0; i < grams.length; i++) {
    const g = grams[i]!;
    if ((map[g >>> 5]! & (1 << (g & 31))) === 0) return false;
  }
  return true;
}
