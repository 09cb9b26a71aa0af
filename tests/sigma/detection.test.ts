import { describe, expect, it } from 'vitest';
import { parseDetection } from '../../src/lib/sigma/detection.ts';

const FILE = 'rules/test.yml';
const parse = (detection: unknown) => parseDetection(detection as Record<string, unknown>, FILE);

/** Diagnostics as [code, message] pairs, the file being always FILE. */
function problems(detection: unknown): [string, string][] {
  return parse(detection).diagnostics.map((d) => {
    expect(d.file).toBe(FILE);
    return [d.code, d.message];
  });
}

describe('parseDetection: search identifiers', () => {
  it('reads a map as one AND group', () => {
    const { detection, diagnostics } = parse({
      selection: { 'Image|endswith': '\\net.exe', 'CommandLine|contains|all': [' use ', '\\\\'] },
      condition: 'selection',
    });
    expect(diagnostics).toEqual([]);
    expect(detection).toEqual({
      identifiers: [
        {
          name: 'selection',
          groups: [
            [
              { kind: 'field', field: 'Image', modifiers: ['endswith'], values: ['\\net.exe'] },
              { kind: 'field', field: 'CommandLine', modifiers: ['contains', 'all'], values: [' use ', '\\\\'] },
            ],
          ],
        },
      ],
      conditions: [{ source: 'selection', expression: { type: 'identifier', name: 'selection' } }],
    });
  });

  it('reads a list of maps as an OR of groups', () => {
    const { detection } = parse({ sel: [{ Image: 'a.exe' }, { Image: 'b.exe', User: 'x' }], condition: 'sel' });
    expect(detection.identifiers[0]!.groups).toEqual([
      [{ kind: 'field', field: 'Image', modifiers: [], values: ['a.exe'] }],
      [
        { kind: 'field', field: 'Image', modifiers: [], values: ['b.exe'] },
        { kind: 'field', field: 'User', modifiers: [], values: ['x'] },
      ],
    ]);
  });

  it('reads a list of plain values as one keyword predicate', () => {
    const { detection } = parse({ keywords: ['mimikatz', 4688], condition: 'keywords' });
    expect(detection.identifiers[0]!.groups).toEqual([[{ kind: 'keyword', modifiers: [], values: ['mimikatz', 4688] }]]);
  });

  it('reads a lone plain value as a one-keyword search', () => {
    expect(parse({ keywords: 'mimikatz', condition: 'keywords' }).detection.identifiers[0]!.groups).toEqual([
      [{ kind: 'keyword', modifiers: [], values: ['mimikatz'] }],
    ]);
  });

  it('reads a keyword map with modifiers only', () => {
    const { detection, diagnostics } = parse({ kw: { '|all': ['-nop', 'hidden'] }, condition: 'kw' });
    expect(diagnostics).toEqual([]);
    expect(detection.identifiers[0]!.groups).toEqual([[{ kind: 'keyword', modifiers: ['all'], values: ['-nop', 'hidden'] }]]);
  });

  it('reads a null value as [null]', () => {
    expect(parse({ sel: { User: null }, condition: 'sel' }).detection.identifiers[0]!.groups).toEqual([
      [{ kind: 'field', field: 'User', modifiers: [], values: [null] }],
    ]);
  });

  it('lower-cases modifiers', () => {
    expect(parse({ sel: { 'Image|EndsWith': 'x' }, condition: 'sel' }).detection.identifiers[0]!.groups[0]![0]).toMatchObject({
      modifiers: ['endswith'],
    });
  });

  it('keeps identifiers in definition order and skips condition and timeframe', () => {
    const { detection } = parse({ b: { X: 1 }, condition: 'a or b', a: { Y: 2 }, timeframe: '5m' });
    expect(detection.identifiers.map((i) => i.name)).toEqual(['b', 'a']);
    expect(detection.timeframe).toBe('5m');
  });

  it('keeps a mixed list of maps and keywords', () => {
    expect(parse({ sel: [{ A: 1 }, 'kw'], condition: 'sel' }).detection.identifiers[0]!.groups).toEqual([
      [{ kind: 'field', field: 'A', modifiers: [], values: [1] }],
      [{ kind: 'keyword', modifiers: [], values: ['kw'] }],
    ]);
  });
});

describe('parseDetection: conditions', () => {
  it('parses a list of conditions', () => {
    const { detection } = parse({ a: { X: 1 }, b: { Y: 1 }, condition: ['a', 'b and not a'] });
    expect(detection.conditions.map((c) => c.source)).toEqual(['a', 'b and not a']);
  });

  it('reports a missing condition', () => {
    expect(problems({ sel: { X: 1 } })).toEqual([['condition', 'detection has no condition']]);
  });

  it('reports an unknown identifier, naming the condition and column', () => {
    expect(problems({ sel: { X: 1 }, condition: 'sel and filter' })).toEqual([
      ['condition', "condition 'sel and filter', column 9: unknown search identifier 'filter'"],
    ]);
  });

  it('drops a condition that has errors', () => {
    expect(parse({ sel: { X: 1 }, condition: 'sel and filter' }).detection.conditions).toEqual([]);
  });

  it('numbers the failing condition of a list', () => {
    expect(problems({ sel: { X: 1 }, condition: ['sel', 'sel or'] })).toEqual([
      ['condition', "condition 2 'sel or', column 7: expected a search identifier, found end of condition"],
    ]);
  });

  it('reports a condition that is not a string', () => {
    expect(problems({ sel: { X: 1 }, condition: { a: 1 } })).toEqual([['condition', 'condition must be a string, found a map']]);
  });

  it('keeps a legacy aggregation with a warning', () => {
    const { detection, diagnostics } = parse({ sel: { X: 1 }, condition: 'sel | count() by Host > 5' });
    expect(detection.conditions[0]!.aggregation).toEqual({ function: 'count', groupBy: 'Host', operator: '>', value: 5 });
    expect(diagnostics.map((d) => [d.severity, d.code])).toEqual([['warning', 'condition']]);
  });
});

describe('parseDetection: modifiers', () => {
  it('reports an unknown modifier, naming identifier, item and modifier', () => {
    expect(problems({ sel: { 'Image|endswitch': 'x' }, condition: 'sel' })).toEqual([
      ['unknown-modifier', "search identifier 'sel', 'Image|endswitch': unknown modifier 'endswitch'"],
    ]);
  });

  it('still keeps the predicate with the unknown modifier', () => {
    expect(parse({ sel: { 'Image|endswitch': 'x' }, condition: 'sel' }).detection.identifiers[0]!.groups[0]).toHaveLength(1);
  });

  it('reports an invalid combination', () => {
    expect(problems({ sel: [{ 'Image|re|contains': 'x' }], condition: 'sel' })).toEqual([
      ['invalid-modifier', "search identifier 'sel', item 1, 'Image|re|contains': modifier 're' cannot be combined with 'contains'"],
    ]);
  });

  it('reports exists with a non-boolean value', () => {
    expect(problems({ sel: { 'User|exists': 'yes' }, condition: 'sel' })).toEqual([
      ['detection-shape', "search identifier 'sel', 'User|exists': expects true or false, found 'yes'"],
    ]);
  });

  it('reports a numeric comparison with a non-number', () => {
    expect(problems({ sel: { 'Size|gt': 'big' }, condition: 'sel' })).toEqual([
      ['detection-shape', "search identifier 'sel', 'Size|gt': expects a number, found 'big'"],
    ]);
  });
});

describe('parseDetection: odd shapes', () => {
  it('reports an empty map', () => {
    expect(problems({ sel: {}, condition: 'sel' })).toEqual([['detection-shape', "search identifier 'sel': is an empty map"]]);
  });

  it('reports an empty list', () => {
    expect(problems({ sel: [], condition: 'sel' })).toEqual([['detection-shape', "search identifier 'sel': is an empty list"]]);
  });

  it('reports an empty value list', () => {
    expect(problems({ sel: { Image: [] }, condition: 'sel' })).toEqual([['detection-shape', "search identifier 'sel', 'Image': value is an empty list"]]);
  });

  it('reports a nested map as a value', () => {
    expect(problems({ sel: { Image: { a: 1 } }, condition: 'sel' })).toEqual([
      ['detection-shape', "search identifier 'sel', 'Image': value must be a plain value or a list of them, found a map"],
    ]);
  });

  it('reports a nested list inside a value list, keeping the plain values', () => {
    const result = parse({ sel: { Image: ['a', ['b']] }, condition: 'sel' });
    expect(result.diagnostics.map((d) => d.message)).toEqual(["search identifier 'sel', 'Image': value 2 must be a plain value, found a list"]);
    expect(result.detection.identifiers[0]!.groups[0]![0]!.values).toEqual(['a']);
  });

  it('reports a nested list inside an identifier list', () => {
    expect(problems({ sel: [['a']], condition: 'sel' })).toEqual([
      ['detection-shape', "search identifier 'sel': item 1 must be a map or a plain value, found a list"],
    ]);
  });

  it('reports a null search identifier', () => {
    expect(problems({ sel: null, condition: 'sel' })).toEqual([
      ['detection-shape', "search identifier 'sel': must be a map, a list of maps or a list of keywords, found null"],
    ]);
  });

  it('reports a timeframe that is not a string', () => {
    expect(problems({ sel: { X: 1 }, condition: 'sel', timeframe: 5 })).toEqual([
      ['detection-shape', "detection timeframe must be a string like '5m', found 5"],
    ]);
  });

  it('reports a detection that is not a map', () => {
    expect(problems(['a'])).toEqual([['detection-shape', 'detection must be a map of search identifiers and a condition, found a list']]);
  });

  it('reports a Date value (from a non-JSON YAML schema) as a shape problem', () => {
    expect(problems({ sel: { Date: new Date(0) }, condition: 'sel' })).toEqual([
      ['detection-shape', "search identifier 'sel', 'Date': value must be a plain value or a list of them, found a Date"],
    ]);
  });

  it('never throws', () => {
    for (const odd of [null, undefined, 42, 'x', {}, { condition: 1 }, { a: [[[]]], condition: ['a', null] }, { '': { '|': null }, condition: '' }]) {
      expect(() => parse(odd)).not.toThrow();
    }
  });
});
