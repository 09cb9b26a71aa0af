/**
 * Value transformations of Sigma modifiers, following pySigma: `windash` dash variants,
 * `utf16*`/`wide` encodings and `base64`/`base64offset`. They rewrite a value into one or more
 * alternative values before the match type (contains …) applies.
 */
import type { SigmaStringPart } from '../sigma/value.ts';

/**
 * A value being transformed. After a UTF-16 encoding the literal text holds one byte per
 * character (latin1), so a following base64 encodes those bytes rather than UTF-8.
 */
export interface ValueForm {
  parts: SigmaStringPart[];
  binary: boolean;
}

/** The characters Windows programs accept where a parameter starts with `-` (pySigma's list). */
const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/** A dash or slash not preceded by a word character and followed by one (pySigma: `\B[-/]\b`). */
const WINDASH_POSITION = /(?<![\p{L}\p{N}_])[-/](?=[\p{L}\p{N}_])/gu;

/** Every combination of dash variants at each parameter dash of the value. */
export function windash(form: ValueForm): ValueForm[] {
  let results: SigmaStringPart[][] = [[]];
  for (const part of form.parts) {
    const variants: SigmaStringPart[] = part.type === 'literal' ? dashVariants(part.text).map((text) => ({ type: 'literal', text })) : [part];
    results = results.flatMap((prefix) => variants.map((v) => [...prefix, v]));
  }
  return results.map((parts) => ({ parts: mergeLiterals(parts), binary: form.binary }));
}

function dashVariants(text: string): string[] {
  const positions = [...text.matchAll(WINDASH_POSITION)].map((m) => m.index);
  let out = [''];
  let last = 0;
  for (const pos of positions) {
    const between = text.slice(last, pos);
    out = out.flatMap((prefix) => WINDASH_CHARS.map((dash) => prefix + between + dash));
    last = pos + 1;
  }
  return out.map((prefix) => prefix + text.slice(last));
}

function mergeLiterals(parts: SigmaStringPart[]): SigmaStringPart[] {
  const merged: SigmaStringPart[] = [];
  for (const part of parts) {
    const prev = merged[merged.length - 1];
    if (part.type === 'literal' && prev?.type === 'literal') merged[merged.length - 1] = { type: 'literal', text: prev.text + part.text };
    else if (part.type !== 'literal' || part.text !== '') merged.push(part);
  }
  return merged;
}

export type Utf16Kind = 'utf16le' | 'utf16be' | 'utf16';

/** UTF-16 encodes each literal (wildcards stay wildcards); `utf16` is little-endian with a BOM. */
export function utf16(form: ValueForm, kind: Utf16Kind): ValueForm {
  const encode = (text: string): string => {
    const le = Buffer.from(text, 'utf16le');
    const bytes = kind === 'utf16be' ? swapPairs(le) : le;
    return bytes.toString('latin1');
  };
  const parts: SigmaStringPart[] = form.parts.map((p) => (p.type === 'literal' ? { type: 'literal', text: encode(p.text) } : p));
  if (kind === 'utf16') parts.unshift({ type: 'literal', text: '\xff\xfe' });
  return { parts: mergeLiterals(parts), binary: true };
}

function swapPairs(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.swap16();
  return out;
}

function bytesOf(form: ValueForm): Buffer | undefined {
  if (form.parts.some((p) => p.type !== 'literal')) return undefined;
  const text = form.parts.map((p) => (p.type === 'literal' ? p.text : '')).join('');
  return Buffer.from(text, form.binary ? 'latin1' : 'utf8');
}

/** Plain base64 of the value; undefined when the value has wildcards (Sigma forbids them). */
export function base64(form: ValueForm): ValueForm | undefined {
  const bytes = bytesOf(form);
  if (!bytes) return undefined;
  return { parts: [{ type: 'literal', text: bytes.toString('base64') }], binary: false };
}

const START_OFFSETS = [0, 2, 3];
const END_TRIM = [0, 3, 2];

/**
 * The three encodings of the value at byte offsets 0, 1 and 2 of a longer base64 text, with the
 * characters that depend on the unknown neighbouring bytes cut off (pySigma's base64offset).
 */
export function base64offset(form: ValueForm): ValueForm[] | undefined {
  const bytes = bytesOf(form);
  if (!bytes) return undefined;
  return [0, 1, 2].map((i) => {
    const encoded = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    const trim = END_TRIM[(bytes.length + i) % 3]!;
    return { parts: [{ type: 'literal', text: encoded.slice(START_OFFSETS[i], encoded.length - trim) }], binary: false };
  });
}
