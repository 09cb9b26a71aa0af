import { expect, test } from 'vitest';
import { globMatcher } from '../../src/lib/match/glob.ts';
import { globMatch, globPattern } from '../../src/lib/sigma/glob.ts';
import { collapseRepeats } from '../../src/lib/match/regex.ts';
import { parseSigmaString } from '../../src/lib/sigma/value.ts';

const glob = (value: string, text: string) => globMatch(globPattern(parseSigmaString(value)), text);

test('repeats of the same atom fold into one, escapes and groups stay', () => {
  expect(collapseRepeats('.*.*.*.*x')).toBe('.*x');
  expect(collapseRepeats('\\s*\\s+\\s*x')).toBe('\\s+x');
  expect(collapseRepeats('\\.*.*')).toBe('\\.*.*');
  expect(collapseRepeats('(.*)(.*)')).toBe('(.*)(.*)');
  expect(collapseRepeats('\\+.*\\+.*')).toBe('\\+.*\\+.*');
});

test('star-only values are matched piece by piece, the same as the two-pointer matcher', () => {
  const cases: [string, string][] = [
    ['*-Properties*TrustedForDelegation*', 'Get-ADComputer -Properties Name,TrustedForDelegation'],
    ['*-Properties*TrustedForDelegation*', 'TrustedForDelegation -Properties x'],
    ['net*sessions', 'net sessions'],
    ['net*sessions', 'net sessions x'],
    ['a*b*a', 'aba'],
    ['a*b*a', 'ab'],
    ['ab*ba', 'aba'],
    ['*', ''],
    ['x', 'x'],
    ['', ''],
    ['*\\net.exe', 'C:\\Windows\\net.exe'],
  ];
  for (const [value, text] of cases) expect(globMatcher(parseSigmaString(value))(text), `${value} on ${text}`).toBe(glob(value, text));
});

test('the trigram filter never hides a value that is there, and rules one out that is not', async () => {
  const { mayContain, valueGrams, GRAM_MIN_LENGTH } = await import('../../src/lib/match/grams.ts');
  const text = `${'function get-thing { write-host "x" }\n'.repeat(Math.ceil(GRAM_MIN_LENGTH / 30))}invoke-mimikatz -dumpcreds`;
  for (const value of ['invoke-mimikatz', '-dumpcreds', 'get-thing', 'ng { wr', 'x']) expect(mayContain(text, valueGrams(value))).toBe(true);
  expect(mayContain(text, valueGrams('sekurlsa::logonpasswords'))).toBe(false);
  expect(mayContain('short text', valueGrams('absent'))).toBe(true); // short texts are always scanned
});
