import { describe, expect, it } from 'vitest';
import { atomFeed, escapeXml } from '../../src/lib/changes/atom.ts';
import type { Changes } from '../../src/lib/changes/types.ts';

const nasty = `<script>alert("x")</script> & 'quotes' \u0001\u001f\uFFFE ok`;

function changes(): Changes {
  return {
    date: '2024-05-05',
    previous: { rules: 1, tests: 0 },
    summary: { rules: { added: 1, modified: 0, deprecated: 0, removed: 1 }, tests: { added: 0, modified: 0, removed: 0 } },
    rules: { added: [], modified: [], deprecated: [], removed: [] },
    tests: { added: [], modified: [], removed: [] },
    feed: [
      {
        id: 'urn:detection-atlas:rule:a:added:1',
        updated: '2024-05-05',
        kind: 'rule',
        change: 'added',
        title: `Rule added: ${nasty}`,
        summary: 'a & b',
        url: '/rules/a/',
      },
      { id: 'urn:detection-atlas:rule:b:removed:2', updated: '2024-04-01', kind: 'rule', change: 'removed', title: 'Rule removed: B', summary: 'b.yml' },
    ],
  };
}

/** Reverses escapeXml's five entities. */
const unescape = (text: string) => text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e as 'lt']);

describe('escapeXml', () => {
  it('escapes markup and quotes, and replaces characters XML cannot hold', () => {
    const escaped = escapeXml(nasty);
    expect(escaped).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; \uFFFD\uFFFD\uFFFD ok');
    expect(escaped).not.toMatch(/[<>"']|&(?!(lt|gt|quot|apos|amp);)/);
    expect(unescape(escaped)).toBe(nasty.replace(/[\u0001\u001f\uFFFE]/g, '\uFFFD'));
  });

  it('keeps tabs, line breaks and characters outside the Basic Multilingual Plane, drops lone surrogates', () => {
    expect(escapeXml('a\tb\nc 🦊')).toBe('a\tb\nc 🦊');
    expect(escapeXml('x\uD800y')).toBe('x\uFFFDy');
  });
});

describe('atomFeed', () => {
  it('is a deterministic Atom document with escaped text and dates from the change list', () => {
    const xml = atomFeed(changes(), { title: 'ACME & Co <detections>' });
    expect(atomFeed(changes(), { title: 'ACME & Co <detections>' })).toBe(xml);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')).toBe(true);
    expect(xml).toContain('<title>ACME &amp; Co &lt;detections&gt;: changes</title>');
    expect(xml).toContain('<updated>2024-05-05T00:00:00Z</updated>');
    expect(xml).toContain('<title>Rule added: &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; \uFFFD\uFFFD\uFFFD ok</title>');
    expect(xml).toContain('<summary>a &amp; b</summary>');
    expect(xml).toMatch(/<id>urn:detection-atlas:feed:[0-9a-f]{16}<\/id>/);
    // Relative to api/changes.xml, so the link works under any base path.
    expect(xml).toContain('<link rel="alternate" type="text/html" href="../rules/a/"/>');
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml.match(/<\/entry>/g)).toHaveLength(2);
    // Every element opened is closed, in order.
    const stack: string[] = [];
    for (const [, close, name, selfClosing] of xml.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (selfClosing) continue;
      if (close) expect(stack.pop()).toBe(name);
      else stack.push(name);
    }
    expect(stack).toEqual([]);
  });

  it('makes links and ids absolute with a site URL', () => {
    const xml = atomFeed(changes(), { title: 'T', siteUrl: 'https://example.org/detections' });
    expect(xml).toContain('<id>https://example.org/detections/api/changes.xml</id>');
    expect(xml).toContain('href="https://example.org/detections/rules/a/"');
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="https://example.org/detections/api/changes.xml"/>');
  });
});
