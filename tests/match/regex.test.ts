import { describe, expect, it } from 'vitest';
import { catastrophicRisk, compileSigmaRegex, REGEX_INPUT_LIMIT, searchBounded } from '../../src/lib/match/regex.ts';

describe('bounded regular expressions', () => {
  it.each(['(a+)+$', '(a*)*b', '(a|a)*c', '(\\w+\\s?)*$', '(?:x+y?)+z', '(a{1,100}){1,100}'])('refuses %s', (pattern) => {
    expect(compileSigmaRegex(pattern).ok).toBe(false);
  });
  it.each([
    'net\\s+user',
    '[0-9]{1,3}\\.[0-9]{1,3}',
    '(Get-Item|gci).{1,64}-Path',
    '\\\\[a-zA-Z0-9]{1,32}\\.[a-zA-Z0-9]{1,6}',
    '(?:[a-z0-9\\-]+\\.){2}[a-z]+',
    '"(\\{\\d\\}){2,}"\\s*-f',
    '[A-F0-9]{8}-[A-F0-9]{4}',
  ])('accepts %s', (pattern) => {
    expect(catastrophicRisk(pattern)).toBeUndefined();
    expect(compileSigmaRegex(pattern).ok).toBe(true);
  });
  it('a refused pattern cannot hang: evaluating it is immediate', () => {
    const compiled = compileSigmaRegex('(a+)+$');
    expect(compiled.ok).toBe(false);
  });
  it('escaped parentheses are not groups', () => expect(catastrophicRisk('\\(a+\\)+')).toBeUndefined());
  it('inputs past the limit are not searched', () => {
    const compiled = compileSigmaRegex('x');
    if (!compiled.ok) throw new Error(compiled.reason);
    expect(searchBounded(compiled.regex, 'x'.repeat(REGEX_INPUT_LIMIT + 1))).toBeUndefined();
  });
  it('translates Python named groups', () => expect(compileSigmaRegex('(?P<a>x)(?P=a)').ok).toBe(true));
  it('refuses inline flags in the middle', () => expect(compileSigmaRegex('a(?i)b').ok).toBe(false));
  it('refuses possessive quantifiers', () => expect(compileSigmaRegex('a++b').ok).toBe(false));
  it('reports invalid patterns', () => expect(compileSigmaRegex('(').ok).toBe(false));
});

it('a leading repeated atom is dropped from an unanchored search: same answer, linear time', async () => {
  const { dropLeadingRepeat, compileSigmaRegex, searchBounded } = await import('../../src/lib/match/regex.ts');
  expect(dropLeadingRepeat('\\w+`(\\w+|-|.)`[\\w+|\\s]')).toBe('\\w`(\\w+|-|.)`[\\w+|\\s]');
  expect(dropLeadingRepeat('.*foo')).toBe('foo');
  expect(dropLeadingRepeat('\\w+x|y')).toBe('\\w+x|y'); // alternation: the atom heads one branch only
  expect(dropLeadingRepeat('\\s+')).toBe('\\s+');
  const compiled = compileSigmaRegex('\\w+`(\\w+|-|.)`[\\w+|\\s]');
  if (!compiled.ok) throw new Error(compiled.reason);
  expect(searchBounded(compiled.regex, 'I`N`V`oke-Expression')).toBe(true);
  expect(searchBounded(compiled.regex, `${'A'.repeat(60_000)} plain`)).toBe(false);
});
