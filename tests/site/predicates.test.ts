import { describe, expect, it } from 'vitest';
import { describeAggregation, describeCondition, describeIdentifier, describePredicate, formatValue } from '../../src/lib/site/predicates.ts';

describe('describePredicate', () => {
  it('makes any/all explicit', () => {
    expect(describePredicate({ kind: 'field', field: 'Image', modifiers: ['endswith'], values: ['\\net.exe', '\\net1.exe'] })).toEqual({
      field: 'Image',
      operator: 'ends with',
      quantifier: 'any',
      values: ["'\\net.exe'", "'\\net1.exe'"],
      more: 0,
      notes: [],
      modifiers: 'endswith',
    });
    expect(describePredicate({ kind: 'field', field: 'CommandLine', modifiers: ['contains', 'all'], values: ['a', 'b'] })).toMatchObject({
      operator: 'contains',
      quantifier: 'all',
    });
    expect(describePredicate({ kind: 'field', field: 'User', modifiers: [], values: ['x'] })).toMatchObject({ operator: 'equals', quantifier: 'one' });
  });

  it('names transformations and flags', () => {
    const p = describePredicate({ kind: 'field', field: 'CommandLine', modifiers: ['windash', 'contains', 'cased'], values: ['-enc'] });
    expect(p.operator).toBe('contains');
    expect(p.notes).toEqual(['dash variants: - / – — ― (windash)', 'case-sensitive']);
    expect(describePredicate({ kind: 'field', field: 'X', modifiers: ['re', 'i'], values: ['^a'] })).toMatchObject({
      operator: 'matches regex',
      notes: ['regex: ignore case'],
    });
    expect(describePredicate({ kind: 'field', field: 'X', modifiers: ['bogus'], values: ['a'] }).notes).toEqual(['unknown modifier "bogus"']);
  });

  it('null, empty, exists and keywords', () => {
    expect(describePredicate({ kind: 'field', field: 'User', modifiers: [], values: [null] })).toMatchObject({ operator: 'is empty or absent', values: [] });
    expect(describePredicate({ kind: 'field', field: 'User', modifiers: [], values: [''] })).toMatchObject({ operator: 'is empty' });
    expect(describePredicate({ kind: 'field', field: 'User', modifiers: ['exists'], values: [false] })).toMatchObject({ operator: 'does not exist' });
    expect(describePredicate({ kind: 'keyword', modifiers: [], values: ['a', 'b'] })).toMatchObject({
      field: null,
      operator: 'found anywhere in the event',
      quantifier: 'any',
    });
  });

  it('quotes values so edge spaces stay visible', () => {
    expect(formatValue(' sessions')).toBe("' sessions'");
    expect(formatValue(4688)).toBe('4688');
    expect(formatValue(null)).toBe('null');
  });
});

describe('describeIdentifier', () => {
  it('shows at most the limit of values per predicate and counts the rest', () => {
    const values = Array.from({ length: 30 }, (_, i) => `v${i}`);
    const view = describeIdentifier({ name: 'sel', groups: [[{ kind: 'field', field: 'Hashes', modifiers: ['contains'], values }]] });
    expect(view.groups[0]![0]).toMatchObject({ values: values.slice(0, 25).map((v) => `'${v}'`), more: 5, quantifier: 'any' });
  });
});

describe('describeCondition', () => {
  it('flattens nested and/or chains and keeps not', () => {
    const tree = describeCondition({
      type: 'and',
      children: [
        { type: 'identifier', name: 'a' },
        {
          type: 'and',
          children: [
            { type: 'identifier', name: 'b' },
            {
              type: 'not',
              child: {
                type: 'or',
                children: [
                  { type: 'identifier', name: 'c' },
                  { type: 'identifier', name: 'd' },
                ],
              },
            },
          ],
        },
      ],
    });
    expect(tree).toEqual({
      type: 'all',
      children: [
        { type: 'identifier', name: 'a' },
        { type: 'identifier', name: 'b' },
        {
          type: 'not',
          child: {
            type: 'any',
            children: [
              { type: 'identifier', name: 'c' },
              { type: 'identifier', name: 'd' },
            ],
          },
        },
      ],
    });
  });

  it('keeps of-expressions with their matches', () => {
    expect(describeCondition({ type: 'of', quantifier: 'one', pattern: 'sel_*', matches: ['sel_a'] })).toEqual({
      type: 'of',
      quantifier: 'one',
      pattern: 'sel_*',
      matches: ['sel_a'],
    });
  });

  it('describes legacy aggregations', () => {
    expect(describeAggregation({ function: 'count', field: 'User', groupBy: 'Computer', operator: '>', value: 5 })).toBe(
      'then count(User) grouped by Computer > 5',
    );
  });
});
