/**
 * The deployment base path (ATLAS_BASE): normalised to `/x/`; refused with a reason when it holds
 * a character Astro's build or the links cannot carry (src/lib/site/urls.ts baseProblem).
 */
import { describe, expect, test } from 'vitest';
import { baseProblem, normalizeBase } from '../../src/lib/site/urls.ts';

describe('base path', () => {
  test('plain bases, a space among them, are accepted and normalised', () => {
    for (const base of [undefined, '', '/', 'sigma', '/sigma/', '/my x/', '/a/b-c_d.e/', '/détection/']) expect(baseProblem(base)).toBeUndefined();
    expect(normalizeBase('/my x/')).toBe('/my x/');
    expect(normalizeBase('a/b')).toBe('/a/b/');
  });

  test('%, ?, # and \\ are refused, naming the value and why', () => {
    expect(baseProblem('/my%20x/')).toBe(
      'ATLAS_BASE "/my%20x/": a base path cannot contain "%": Astro decodes the paths of the pages it builds under it and the build fails; write the path unencoded (e.g. "/my x/")',
    );
    // No suggestion when decoding does not give a usable path.
    expect(baseProblem('/100%/')).toBe(
      'ATLAS_BASE "/100%/": a base path cannot contain "%": Astro decodes the paths of the pages it builds under it and the build fails; write the path unencoded',
    );
    expect(baseProblem('/a%3Fb/')).toMatch(/write the path unencoded$/);
    expect(baseProblem('/a?b/')).toBe('ATLAS_BASE "/a?b/": a base path cannot contain "?": it would end the path of every link');
    expect(baseProblem('/a#b/')).toBe('ATLAS_BASE "/a#b/": a base path cannot contain "#": it would end the path of every link');
    expect(baseProblem('\\a\\')).toBe('ATLAS_BASE "\\a\\": a base path cannot contain "\\": browsers read it as /');
  });

  test('ends are trimmed as for the links; an empty segment or a control character inside is refused', () => {
    for (const base of ['/sigma/\n', '//sigma/', ' /x/ ']) expect(baseProblem(base)).toBeUndefined();
    expect(normalizeBase('//sigma/')).toBe('/sigma/');
    expect(normalizeBase(' /x/ ')).toBe('/x/');
    expect(baseProblem('/a//b/')).toBe('ATLAS_BASE "/a//b/": a base path cannot have an empty segment ("//")');
    expect(baseProblem('/a\nb/')).toBe('ATLAS_BASE "/a\\nb/": a base path cannot contain a control character');
  });
});
