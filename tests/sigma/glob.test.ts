import { expect, test } from 'vitest';
import { globMatch, globPattern, identifierPattern } from '../../src/lib/sigma/glob.ts';
import { parseSigmaString } from '../../src/lib/sigma/value.ts';

const glob = (value: string, text: string) => globMatch(globPattern(parseSigmaString(value)), text);
const identifier = (pattern: string, name: string) => globMatch(identifierPattern(pattern), name);

test('stars and question marks match like Sigma wildcards', () => {
  expect(glob('net*sessions', 'net sessions')).toBe(true);
  expect(glob('net*sessions', 'net sessions x')).toBe(false);
  expect(glob('a?c', 'abc')).toBe(true);
  expect(glob('a?c', 'ac')).toBe(false);
  expect(glob('*\\net?.exe', 'C:\\Windows\\net1.exe')).toBe(true);
  expect(glob('a\\*b', 'a*b')).toBe(true);
  expect(glob('a\\*b', 'axb')).toBe(false);
  expect(glob('*', '')).toBe(true);
});

test('a value made to backtrack stays fast and right', () => {
  const text = 'a'.repeat(20_000);
  expect(glob('*a*a*a*a*a*a*a*a*b', text)).toBe(false);
  expect(glob('*a*a*a*a*a*a*a*a*b', `${text}b`)).toBe(true);
});

test('identifier patterns: only the star is a wildcard, a backslash or question mark is literal', () => {
  expect(identifier('selection_*', 'selection_img')).toBe(true);
  expect(identifier('selection_*', 'selection')).toBe(false);
  expect(identifier('*_img', 'selection_img')).toBe(true);
  expect(identifier('filter*', 'filter')).toBe(true);
  expect(identifier('sel?', 'sel1')).toBe(false);
  expect(identifier('sel?', 'sel?')).toBe(true);
  expect(identifier('a\\*', 'a\\x')).toBe(true);
  expect(identifier('a\\*', 'a*')).toBe(false);
  expect(identifier('*', '')).toBe(true);
  expect(identifier('', 'x')).toBe(false);
});

test('an identifier pattern made to backtrack stays right', () => {
  const name = 'a'.repeat(5_000);
  expect(identifier(`${'*a'.repeat(30)}*b`, name)).toBe(false);
  expect(identifier(`${'*a'.repeat(30)}*b`, `${name}b`)).toBe(true);
});
