import { expect, test } from 'vitest';
import { countIndicators } from '../../src/lib/indicators/count.ts';
import { extractIndicators } from '../../src/lib/indicators/extract.ts';
import type { Detection } from '../../src/lib/sigma/detection.ts';

function detection(groups: Detection['identifiers'][number]['groups']): Detection {
  return { identifiers: [{ name: 'selection', groups }], conditions: [] };
}

test('one indicator per field, operator and value', () => {
  const found = extractIndicators(detection([[{ kind: 'field', field: 'Image', modifiers: ['endswith'], values: ['\\net.exe', '\\net1.exe'] }]]));
  expect(found.map(({ field, operator, value }) => [field, operator, value])).toEqual([
    ['Image', 'endswith', '\\net.exe'],
    ['Image', 'endswith', '\\net1.exe'],
  ]);
});

test('the same check in another case or field spelling is one indicator', () => {
  const a = extractIndicators(detection([[{ kind: 'field', field: 'Image', modifiers: ['endswith'], values: ['\\NET.exe'] }]]));
  const b = extractIndicators(detection([[{ kind: 'field', field: 'image', modifiers: ['endswith'], values: ['\\net.exe'] }]]));
  expect(a[0].key).toBe(b[0].key);
  expect(a[0].id).toBe(b[0].id);
});

test('cased values keep their case apart', () => {
  const a = extractIndicators(detection([[{ kind: 'field', field: 'CommandLine', modifiers: ['cased'], values: ['Net'] }]]));
  const b = extractIndicators(detection([[{ kind: 'field', field: 'CommandLine', modifiers: ['cased'], values: ['net'] }]]));
  expect(a[0].key).not.toBe(b[0].key);
});

test('keywords have no field and the modifier chain is the operator', () => {
  const found = extractIndicators(
    detection([
      [{ kind: 'keyword', modifiers: [], values: ['mimikatz'] }],
      [{ kind: 'field', field: 'CommandLine', modifiers: ['contains', 'all'], values: [' -w ', 'hidden'] }],
    ]),
  );
  expect(found.map(({ field, operator, value }) => [field, operator, value])).toEqual([
    [null, 'equals', 'mimikatz'],
    ['CommandLine', 'contains', ' -w '],
    ['CommandLine', 'contains', 'hidden'],
  ]);
});

test('contains|all and contains on the same value are one indicator, counted over both rules', () => {
  const withAll = extractIndicators(detection([[{ kind: 'field', field: 'CommandLine', modifiers: ['contains', 'all'], values: ['http', '-o'] }]]));
  const plain = extractIndicators(detection([[{ kind: 'field', field: 'CommandLine', modifiers: ['contains'], values: ['http'] }]]));
  expect(withAll[0]!.key).toBe(plain[0]!.key);
  expect(withAll[0]!.id).toBe(plain[0]!.id);
  const counted = countIndicators([
    { rule: 'a', active: true, indicators: withAll },
    { rule: 'b', active: true, indicators: plain },
  ]);
  const http = [...counted.values()].find((c) => c.value === 'http')!;
  expect([http.operator, http.count, http.rules]).toEqual(['contains', 2, ['a', 'b']]);
  // Other modifiers still tell values apart.
  const startswith = extractIndicators(detection([[{ kind: 'field', field: 'CommandLine', modifiers: ['startswith', 'all'], values: ['http'] }]]));
  expect(startswith[0]!.key).not.toBe(plain[0]!.key);
});

test('counts distinct active rules only', () => {
  const ind = extractIndicators(detection([[{ kind: 'field', field: 'Image', modifiers: ['endswith'], values: ['\\net.exe'] }]]));
  const counted = countIndicators([
    { rule: 'a', active: true, indicators: ind },
    { rule: 'b', active: false, indicators: ind },
    { rule: 'c', active: true, indicators: ind },
  ]);
  expect([...counted.values()].map((c) => [c.count, c.rules])).toEqual([[2, ['a', 'b', 'c']]]);
});
