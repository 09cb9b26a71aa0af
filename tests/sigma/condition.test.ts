import { describe, expect, it } from 'vitest';
import { formatCondition, matchPattern, parseCondition, type ConditionNode } from '../../src/lib/sigma/condition.ts';
import { formatParsedCondition } from './format-condition.ts';

const ids = ['a', 'b', 'c', 'filter', 'selection_img', 'selection_cli', '_hidden', 'filter_main_mdadm.conf'];
const id = (name: string): ConditionNode => ({ type: 'identifier', name });

/** The expression of a condition that must parse and resolve cleanly. */
function expr(source: string, identifiers = ids): ConditionNode {
  const { condition, errors } = parseCondition(source, identifiers);
  expect(errors).toEqual([]);
  return condition!.expression;
}

function errorsOf(source: string, identifiers = ids) {
  return parseCondition(source, identifiers).errors;
}

describe('parseCondition: precedence and structure', () => {
  it('reads a single identifier', () => {
    expect(expr('a')).toEqual(id('a'));
  });

  it('binds and tighter than or', () => {
    expect(expr('a or b and c')).toEqual({ type: 'or', children: [id('a'), { type: 'and', children: [id('b'), id('c')] }] });
  });

  it('binds not tighter than and', () => {
    expect(expr('not a and b')).toEqual({ type: 'and', children: [{ type: 'not', child: id('a') }, id('b')] });
  });

  it('reads a selector with not on the filter', () => {
    expect(expr('1 of selection_* and not filter')).toEqual({
      type: 'and',
      children: [
        { type: 'of', quantifier: 'one', pattern: 'selection_*', matches: ['selection_img', 'selection_cli'] },
        { type: 'not', child: id('filter') },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(expr('(a or b) and c')).toEqual({ type: 'and', children: [{ type: 'or', children: [id('a'), id('b')] }, id('c')] });
  });

  it('applies not to a parenthesised group', () => {
    expect(expr('not (a or b)')).toEqual({ type: 'not', child: { type: 'or', children: [id('a'), id('b')] } });
  });

  it('flattens chains of the same operator into one n-ary node', () => {
    expect(expr('a and b and c')).toEqual({ type: 'and', children: [id('a'), id('b'), id('c')] });
  });

  it('flattens a parenthesised group of the same operator', () => {
    expect(expr('a or (b or c)')).toEqual({ type: 'or', children: [id('a'), id('b'), id('c')] });
  });

  it('drops redundant parentheses', () => {
    expect(expr('((a))')).toEqual(id('a'));
  });

  it('reads not not', () => {
    expect(expr('not not a')).toEqual({ type: 'not', child: { type: 'not', child: id('a') } });
  });

  it('applies not to a whole selector', () => {
    expect(expr('not 1 of selection_*')).toEqual({
      type: 'not',
      child: { type: 'of', quantifier: 'one', pattern: 'selection_*', matches: ['selection_img', 'selection_cli'] },
    });
  });

  it('reads conditions spread over several lines', () => {
    expect(expr('a and\n(\n  b\n  or c\n)')).toEqual({ type: 'and', children: [id('a'), { type: 'or', children: [id('b'), id('c')] }] });
  });

  it('accepts identifiers with dashes and dots', () => {
    expect(expr('sel-1 and filter_main_mdadm.conf', ['sel-1', 'filter_main_mdadm.conf'])).toEqual({
      type: 'and',
      children: [id('sel-1'), id('filter_main_mdadm.conf')],
    });
  });

  it('keeps the source text', () => {
    expect(parseCondition('a or b', ids).condition?.source).toBe('a or b');
  });
});

describe('parseCondition: selectors', () => {
  it('reads all of them without underscore identifiers', () => {
    expect(expr('all of them')).toEqual({
      type: 'of',
      quantifier: 'all',
      pattern: 'them',
      matches: ['a', 'b', 'c', 'filter', 'selection_img', 'selection_cli', 'filter_main_mdadm.conf'],
    });
  });

  it('reads any of as 1 of', () => {
    expect(expr('any of selection_*')).toEqual(expr('1 of selection_*'));
  });

  it('keeps _ identifiers out of a pattern that does not start with _', () => {
    expect(expr('1 of *')).toMatchObject({ matches: expect.not.arrayContaining(['_hidden']) });
  });

  it('pulls _ identifiers in with a pattern that starts with _', () => {
    expect(expr('1 of _*')).toEqual({ type: 'of', quantifier: 'one', pattern: '_*', matches: ['_hidden'] });
  });

  it('allows referencing a _ identifier by name', () => {
    expect(expr('a and not _hidden')).toEqual({ type: 'and', children: [id('a'), { type: 'not', child: id('_hidden') }] });
  });

  it('matches patterns against the whole name', () => {
    expect(matchPattern('filter', ids)).toEqual(['filter']);
    expect(matchPattern('filter*', ids)).toEqual(['filter', 'filter_main_mdadm.conf']);
    expect(matchPattern('*_img', ids)).toEqual(['selection_img']);
  });

  it('matches a dot in a pattern literally', () => {
    expect(matchPattern('a.c', ['abc', 'a.c'])).toEqual(['a.c']);
  });

  it('reads an identifier called all when it is not followed by of', () => {
    expect(expr('all and a', ['all', 'a'])).toEqual({ type: 'and', children: [id('all'), id('a')] });
  });
});

describe('parseCondition: errors', () => {
  it('reports an unknown identifier with its column', () => {
    expect(errorsOf('a and nope')).toEqual([{ message: "unknown search identifier 'nope'", column: 7 }]);
  });

  it('still returns the tree when only resolution failed', () => {
    expect(parseCondition('a and nope', ids).condition?.expression).toEqual({ type: 'and', children: [id('a'), id('nope')] });
  });

  it('reports a pattern that matches nothing', () => {
    expect(errorsOf('a or 1 of zzz*')).toEqual([{ message: "'1 of zzz*' matches no search identifier", column: 6 }]);
  });

  it('reports all of them when every identifier is hidden', () => {
    expect(errorsOf('all of them', ['_x'])).toEqual([{ message: "'all of them' matches no search identifier", column: 1 }]);
  });

  it('reports every unresolved name, not just the first', () => {
    expect(errorsOf('x or y').map((e) => e.column)).toEqual([1, 6]);
  });

  it('reports an empty condition', () => {
    expect(errorsOf('   ')).toEqual([{ message: 'empty condition', column: 1 }]);
  });

  it('reports a missing operand', () => {
    expect(errorsOf('a and')).toEqual([{ message: 'expected a search identifier, found end of condition', column: 6 }]);
  });

  it('reports an unclosed parenthesis', () => {
    expect(errorsOf('(a or b')).toEqual([{ message: "expected ')' to close the '(' at column 1, found end of condition", column: 8 }]);
  });

  it('reports a stray closing parenthesis', () => {
    expect(errorsOf('a)')).toEqual([{ message: "expected 'and', 'or' or end of condition, found ')'", column: 2 }]);
  });

  it('reports two identifiers without an operator', () => {
    expect(errorsOf('a b')).toEqual([{ message: "expected 'and', 'or' or end of condition, found 'b'", column: 3 }]);
  });

  it('reports a wildcard without a quantifier', () => {
    expect(errorsOf('selection_*')).toEqual([
      { message: "pattern 'selection_*' needs a quantifier: write '1 of selection_*' or 'all of selection_*'", column: 1 },
    ]);
  });

  it('reports a missing pattern after of', () => {
    expect(errorsOf('1 of (a)')).toEqual([{ message: "expected an identifier pattern or 'them' after 'of', found '('", column: 6 }]);
  });

  it('reports a character outside the grammar', () => {
    expect(errorsOf('a and %b%')).toEqual([{ message: "expected a search identifier, found unexpected character '%'", column: 7 }]);
  });

  it('rejects upper-case keywords with a hint', () => {
    expect(errorsOf('a AND b')).toEqual([{ message: "expected 'and', 'or' or end of condition, found 'AND' (keywords are lower-case: 'and')", column: 3 }]);
  });

  it('never throws on odd input', () => {
    for (const source of ['|', '1 of', 'not', '((', ')(', 'a | count(', 'a | near', 'a | count() >', 'all of', '*']) {
      expect(() => parseCondition(source, ids)).not.toThrow();
      expect(parseCondition(source, ids).errors.length).toBeGreaterThan(0);
    }
  });
});

describe('parseCondition: legacy aggregations', () => {
  it('reads count() by group', () => {
    const { condition, errors } = parseCondition('a and not filter | count(User) by Host > 5', ids);
    expect(errors).toEqual([]);
    expect(condition).toEqual({
      source: 'a and not filter | count(User) by Host > 5',
      expression: { type: 'and', children: [id('a'), { type: 'not', child: id('filter') }] },
      aggregation: { function: 'count', field: 'User', groupBy: 'Host', operator: '>', value: 5 },
    });
  });

  it('reads count() without a field or group', () => {
    expect(parseCondition('a | count() < 10', ids).condition?.aggregation).toEqual({ function: 'count', operator: '<', value: 10 });
  });

  it('reads sum(field)', () => {
    expect(parseCondition('a | sum(bytes) by src >= 300000', ids).condition?.aggregation).toEqual({
      function: 'sum',
      field: 'bytes',
      groupBy: 'src',
      operator: '>=',
      value: 300000,
    });
  });

  it('requires a field for min, max, avg and sum', () => {
    expect(errorsOf('a | max() > 1')).toEqual([{ message: "'max' needs a field", column: 9 }]);
  });

  it('reads near with its searches resolved', () => {
    expect(parseCondition('a | near b and not c', ids).condition?.aggregation).toEqual({
      function: 'near',
      operator: '',
      value: 0,
      near: { type: 'and', children: [id('b'), { type: 'not', child: id('c') }] },
    });
  });

  it('reports an unknown identifier inside near', () => {
    expect(errorsOf('a | near zz')).toEqual([{ message: "unknown search identifier 'zz'", column: 10 }]);
  });

  it('reports an unknown aggregation function', () => {
    expect(errorsOf('a | median(x) > 1')).toEqual([
      { message: "expected an aggregation (count, min, max, avg, sum or near) after '|', found 'median'", column: 5 },
    ]);
  });

  it('reports a missing threshold', () => {
    expect(errorsOf('a | count() >')).toEqual([{ message: "expected a number after '>', found end of condition", column: 14 }]);
  });
});

describe('formatCondition', () => {
  const roundTrip = (source: string): string => formatParsedCondition(parseCondition(source, ids).condition!);

  it('prints without parentheses where precedence suffices', () => {
    expect(roundTrip('(a) or ((b and c))')).toBe('a or b and c');
  });

  it('keeps parentheses an or needs under and', () => {
    expect(roundTrip('(a or b) and c')).toBe('(a or b) and c');
  });

  it('keeps parentheses a group needs under not', () => {
    expect(roundTrip('not (a and b)')).toBe('not (a and b)');
  });

  it('prints selectors with the 1/all quantifier', () => {
    expect(roundTrip('any of selection_* and not all of filter*')).toBe('1 of selection_* and not all of filter*');
  });

  it('prints the aggregation after a pipe', () => {
    expect(roundTrip('a | count(User) by Host > 5')).toBe('a | count(User) by Host > 5');
    expect(roundTrip('a |near b and not c')).toBe('a | near b and not c');
  });

  it('prints a hand-built nested tree', () => {
    const node: ConditionNode = {
      type: 'or',
      children: [
        { type: 'and', children: [id('a'), { type: 'or', children: [id('b'), id('c')] }] },
        { type: 'not', child: id('d') },
      ],
    };
    expect(formatCondition(node)).toBe('a and (b or c) or not d');
  });
});
