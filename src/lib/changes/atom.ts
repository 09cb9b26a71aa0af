/**
 * The change list as an Atom feed (RFC 4287), `api/changes.xml`. Deterministic: every date comes
 * from the change list. Links are relative to the feed's own address (`api/changes.xml`), so they
 * work under any base path, unless a site URL is given.
 */
import { createHash } from 'node:crypto';
import type { Changes } from './types.ts';

export interface FeedOptions {
  title: string;
  /** The published site's address (https://example.org/detections/): links and ids become absolute. */
  siteUrl?: string;
  /** Makes the feed id unique to the rule repository when there is no site URL. */
  repositoryUrl?: string;
}

/** Characters XML 1.0 cannot hold at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text for element content and attribute values (quotes are escaped too, so it is safe in both). */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

const timestamp = (day: string) => `${day}T00:00:00Z`;

export function atomFeed(changes: Changes, options: FeedOptions): string {
  const base = options.siteUrl ? (options.siteUrl.endsWith('/') ? options.siteUrl : `${options.siteUrl}/`) : undefined;
  // Site paths start with "/"; without a site URL they are resolved from api/changes.xml.
  const link = (sitePath: string) => (base ? new URL(sitePath.slice(1), base).href : `..${sitePath}`);
  const feedId = base
    ? new URL('api/changes.xml', base).href
    : `urn:detection-atlas:feed:${createHash('sha256')
        .update(`${options.title}\u0000${options.repositoryUrl ?? ''}`)
        .digest('hex')
        .slice(0, 16)}`;
  const updated = changes.feed.reduce((max, e) => (e.updated > max ? e.updated : max), changes.date);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${escapeXml(`${options.title}: changes`)}</title>`,
    `  <id>${escapeXml(feedId)}</id>`,
    `  <updated>${timestamp(updated)}</updated>`,
    `  <author><name>${escapeXml(options.title)}</name></author>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(base ? feedId : 'changes.xml')}"/>`,
    `  <generator>Detection Atlas</generator>`,
  ];
  for (const e of changes.feed) {
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(e.id)}</id>`,
      `    <title>${escapeXml(e.title)}</title>`,
      `    <updated>${timestamp(e.updated)}</updated>`,
      ...(e.url ? [`    <link rel="alternate" type="text/html" href="${escapeXml(link(e.url))}"/>`] : []),
      `    <category term="${e.kind}-${e.change}"/>`,
      `    <summary>${escapeXml(e.summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}
