import { describe, expect, it } from 'vitest';
import { lookupModifier, operatorOf, validateModifiers, type ModifierKind } from '../../src/lib/sigma/modifiers.ts';

/** The Sigma v2.1 modifier set (specification appendix + pySigma), with the kind each has. */
const EXPECTED: Record<string, ModifierKind> = {
  contains: 'match',
  startswith: 'match',
  endswith: 'match',
  re: 'match',
  cidr: 'match',
  exists: 'match',
  fieldref: 'match',
  all: 'meta',
  cased: 'flag',
  i: 'flag',
  ignorecase: 'flag',
  m: 'flag',
  multiline: 'flag',
  s: 'flag',
  dotall: 'flag',
  base64: 'transform',
  base64offset: 'transform',
  utf16le: 'transform',
  utf16be: 'transform',
  utf16: 'transform',
  wide: 'transform',
  windash: 'transform',
  expand: 'transform',
  minute: 'transform',
  hour: 'transform',
  day: 'transform',
  week: 'transform',
  month: 'transform',
  year: 'transform',
  lt: 'compare',
  lte: 'compare',
  gt: 'compare',
  gte: 'compare',
  neq: 'compare',
};

describe('lookupModifier', () => {
  for (const [name, kind] of Object.entries(EXPECTED)) {
    it(`knows '${name}' as a ${kind} modifier`, () => {
      const info = lookupModifier(name);
      expect(info).toMatchObject({ name, kind });
      expect(info?.description.length).toBeGreaterThan(0);
    });
  }

  it('is case-insensitive', () => {
    expect(lookupModifier('Contains')?.name).toBe('contains');
  });

  it('records aliases', () => {
    expect(lookupModifier('wide')?.aliasOf).toBe('utf16le');
    expect(lookupModifier('i')?.aliasOf).toBe('ignorecase');
  });

  it('returns undefined for an unknown name, including Object.prototype keys', () => {
    expect(lookupModifier('endswitch')).toBeUndefined();
    expect(lookupModifier('constructor')).toBeUndefined();
  });
});

describe('validateModifiers', () => {
  it('accepts the chains the corpus uses', () => {
    for (const chain of [
      [],
      ['contains', 'all'],
      ['contains', 'windash'],
      ['windash', 'contains'],
      ['base64offset', 'contains'],
      ['wide', 'base64offset', 'contains'],
      ['base64', 'contains'],
      ['re', 'i'],
      ['contains', 'expand'],
      ['cidr'],
      ['fieldref'],
      ['all'],
      ['endswith', 'windash'],
    ]) {
      expect(validateModifiers(chain)).toEqual([]);
    }
  });

  it('accepts other valid chains', () => {
    for (const chain of [
      ['re', 'm', 's'],
      ['re', 'all'],
      ['gte'],
      ['hour', 'gte'],
      ['neq'],
      ['fieldref', 'neq'],
      ['contains', 'cased'],
      ['exists'],
      ['utf16be', 'base64'],
    ]) {
      expect(validateModifiers(chain)).toEqual([]);
    }
  });

  it('names an unknown modifier', () => {
    expect(validateModifiers(['endswitch'])).toEqual(["unknown modifier 'endswitch'"]);
  });

  it('reports an empty modifier name', () => {
    expect(validateModifiers(['contains', ''])).toEqual(["empty modifier name (doubled or trailing '|')"]);
  });

  it('reports a modifier given twice, aliases included', () => {
    expect(validateModifiers(['contains', 'contains'])).toContain("modifier 'contains' is given twice");
    expect(validateModifiers(['re', 'i', 'ignorecase'])).toEqual(["modifier 'ignorecase' is given twice"]);
  });

  it('rejects two match positions', () => {
    expect(validateModifiers(['contains', 'endswith'])).toEqual(["modifiers 'contains', 'endswith' cannot be combined"]);
  });

  it('rejects re with a position modifier', () => {
    expect(validateModifiers(['re', 'contains'])).toEqual(["modifier 're' cannot be combined with 'contains'"]);
  });

  it('rejects a regex flag without re', () => {
    expect(validateModifiers(['contains', 'i'])).toEqual(["modifier 'i' is a regular expression flag and needs 're'"]);
  });

  it('rejects exists with anything else', () => {
    expect(validateModifiers(['exists', 'all'])).toEqual(["modifier 'exists' cannot be combined with 'all'"]);
  });

  it('rejects cidr with a position modifier', () => {
    expect(validateModifiers(['cidr', 'startswith'])).toEqual(["modifier 'cidr' cannot be combined with 'startswith'"]);
  });

  it('rejects two numeric comparisons', () => {
    expect(validateModifiers(['lt', 'gt'])).toEqual(["modifiers 'lt', 'gt' cannot be combined"]);
  });

  it('rejects base64 and base64offset together', () => {
    expect(validateModifiers(['base64', 'base64offset'])).toEqual(["modifiers 'base64', 'base64offset' cannot be combined"]);
  });

  it('rejects a position applied before base64 encoding', () => {
    expect(validateModifiers(['contains', 'base64offset'])).toEqual(["modifier 'contains' must come after 'base64offset'"]);
  });

  it('rejects UTF-16 encoding after base64', () => {
    expect(validateModifiers(['base64', 'wide'])).toEqual(["modifier 'base64' must come after 'wide'"]);
  });
});

describe('operatorOf', () => {
  it('calls plain equality equals', () => {
    expect(operatorOf([])).toBe('equals');
  });

  it('joins the chain with |', () => {
    expect(operatorOf(['endswith'])).toBe('endswith');
    expect(operatorOf(['contains', 'all'])).toBe('contains');
    expect(operatorOf(['all'])).toBe('equals');
    expect(operatorOf(['base64offset', 'All', 'contains'])).toBe('base64offset|contains');
    expect(operatorOf(['base64offset', 'contains'])).toBe('base64offset|contains');
    expect(operatorOf(['re'])).toBe('re');
  });

  it('lower-cases', () => {
    expect(operatorOf(['Contains'])).toBe('contains');
  });
});
