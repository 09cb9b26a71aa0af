import { expect, test } from 'vitest';
import { edgeSpaceNote, valueView } from '../../src/lib/site/value-view.ts';

test("a value with a significant leading space is shown quoted and named: ' use' is not 'use'", () => {
  expect(valueView(' use')).toEqual({ text: "' use'", note: 'starts with a space' });
  expect(valueView('use')).toEqual({ text: 'use' });
});

test('trailing, both-sided, tab and all-space values', () => {
  expect(edgeSpaceNote('-w  ')).toBe('ends with 2 spaces');
  expect(edgeSpaceNote(' -enc ')).toBe('starts with a space and ends with a space');
  expect(edgeSpaceNote('\tx')).toBe('starts with a tab');
  expect(edgeSpaceNote(' ')).toBe('only a space');
  expect(edgeSpaceNote('a b')).toBeUndefined();
  expect(edgeSpaceNote('')).toBeUndefined();
});
