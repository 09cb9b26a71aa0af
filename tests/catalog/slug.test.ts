import { expect, test } from 'vitest';
import { assignSlugs, safeSegment } from '../../src/lib/catalog/slug.ts';

test('a UUID is its own slug, lower-cased', () => {
  expect(safeSegment('0940A971-809a-48f1-9c4d-b1d785e96ee5')).toBe('0940a971-809a-48f1-9c4d-b1d785e96ee5');
});

test('traversal and markup become a plain segment', () => {
  expect(safeSegment('../../etc/passwd')).toBe('etc-passwd');
  expect(safeSegment('<script>"x"</script>')).toBe('script-x-script');
  expect(safeSegment('..')).toBe('item');
});

test('duplicates get numbered suffixes in order', () => {
  expect(assignSlugs(['a', 'b', 'a', 'a'], (x) => x)).toEqual(['a', 'b', 'a-2', 'a-3']);
});
