import { describe, expect, it } from 'vitest';
import { canonicalValue, formatSigmaString, NULL_CANONICAL, parseSigmaString } from '../../src/lib/sigma/value.ts';

const lit = (text: string) => ({ type: 'literal', text }) as const;
const star = { type: 'wildcard', char: '*' } as const;
const qmark = { type: 'wildcard', char: '?' } as const;

describe('parseSigmaString', () => {
  it('keeps a backslash before an ordinary character (\\net.exe is 8 characters)', () => {
    expect(parseSigmaString('\\net.exe')).toEqual([lit('\\net.exe')]);
  });

  it('reads a doubled backslash as one backslash', () => {
    expect(parseSigmaString('C:\\\\Windows')).toEqual([lit('C:\\Windows')]);
  });

  it('reads an escaped star as a literal star', () => {
    expect(parseSigmaString('a\\*b')).toEqual([lit('a*b')]);
  });

  it('reads an escaped question mark as a literal', () => {
    expect(parseSigmaString('a\\?')).toEqual([lit('a?')]);
  });

  it('keeps a trailing lone backslash', () => {
    expect(parseSigmaString('C:\\Windows\\')).toEqual([lit('C:\\Windows\\')]);
  });

  it('splits on unescaped wildcards', () => {
    expect(parseSigmaString('net*sessions?')).toEqual([lit('net'), star, lit('sessions'), qmark]);
  });

  it('reads an escaped backslash before a star as backslash then wildcard', () => {
    expect(parseSigmaString('a\\\\*')).toEqual([lit('a\\'), star]);
  });

  it('returns no parts for the empty string', () => {
    expect(parseSigmaString('')).toEqual([]);
  });
});

describe('formatSigmaString', () => {
  it('writes the fewest escapes', () => {
    expect(formatSigmaString(parseSigmaString('C:\\\\Windows\\\\net.exe'))).toBe('C:\\Windows\\net.exe');
  });

  it('doubles a backslash only where it would start an escape', () => {
    expect(formatSigmaString([lit('a\\'), star])).toBe('a\\\\*');
    expect(formatSigmaString([lit('a\\*')])).toBe('a\\\\\\*');
  });

  it('round-trips through parseSigmaString', () => {
    for (const raw of ['a\\*b', 'x\\\\*', '\\\\\\', 'a?b*', 'C:\\Windows\\', '\\\\\\*']) {
      const parts = parseSigmaString(raw);
      expect(parseSigmaString(formatSigmaString(parts))).toEqual(parts);
    }
  });
});

describe('canonicalValue', () => {
  it('lower-cases unless cased', () => {
    expect(canonicalValue('NET.EXE', false)).toBe('net.exe');
    expect(canonicalValue('NET.EXE', true)).toBe('NET.EXE');
  });

  it('makes the two spellings of a backslash equal', () => {
    expect(canonicalValue('C:\\\\Windows', false)).toBe(canonicalValue('C:\\Windows', false));
  });

  it('keeps an escaped star apart from a wildcard', () => {
    expect(canonicalValue('a\\*b', false)).not.toBe(canonicalValue('a*b', false));
  });

  it('makes a number equal its text', () => {
    expect(canonicalValue(4688, false)).toBe(canonicalValue('4688', false));
  });

  it('writes booleans as text', () => {
    expect(canonicalValue(true, false)).toBe('true');
  });

  it('keeps null apart from any string', () => {
    expect(canonicalValue(null, false)).toBe(NULL_CANONICAL);
    expect(canonicalValue('null', false)).not.toBe(NULL_CANONICAL);
    expect(canonicalValue('', false)).not.toBe(NULL_CANONICAL);
  });

  it('keeps regex escapes verbatim when asked', () => {
    expect(canonicalValue('C:\\\\Users\\\\[^\\\\]+', true, { regex: true })).toBe('C:\\\\Users\\\\[^\\\\]+');
  });
});
