import { expect, test } from 'vitest';
import { edgeSpaceNote, valueHtml, valueView } from '../../src/lib/site/value-view.ts';

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

test('valueHtml: the markup Value.astro renders, escaped, with the edge-space class, title and note', () => {
  expect(valueHtml('<script>&"\'', { className: 'val' })).toBe('<code class="val">&lt;script&gt;&amp;&quot;&#39;</code>');
  expect(valueHtml(' use')).toBe(
    '<code class="edge-space" title="starts with a space">&#39; use&#39;</code><span class="sr-only"> (value starts with a space)</span>',
  );
  expect(valueHtml("'-w  '", { quoted: true, className: 'val' })).toBe(
    '<code class="val edge-space" title="ends with 2 spaces">&#39;-w  &#39;</code><span class="sr-only"> (value ends with 2 spaces)</span>',
  );
  expect(valueHtml("'a'", { quoted: true })).toBe('<code>&#39;a&#39;</code>');
});
