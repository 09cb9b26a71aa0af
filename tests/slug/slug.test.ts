import { expect, test } from 'vitest';
import { assignSlugs, isSlug, safeSegment } from '../../src/lib/slug.ts';

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

test('isSlug: what assignSlugs gives, and nothing that would name another folder or file', () => {
  const long = 'a'.repeat(128);
  for (const slug of [...assignSlugs(['0940a971-809a-48f1-9c4d-b1d785e96ee5', 'x', 'x', long, long], (x) => x), 'rules-windows-file'])
    expect(isSlug(slug), slug).toBe(true);
  for (const text of ['0940A971-809A', 'index.html', '../x', 'a/b', '', '-x', 'x'.repeat(200), 'con', 'a..b']) expect(isSlug(text), text).toBe(false);
});
