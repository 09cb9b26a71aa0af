/**
 * The search records of the last build's keyed pages (`<atlas cache>/search-records.json`), so
 * that a page Astro copies from its page cache need not be read back for search (site/search-feed.ts).
 * One file, written whole to a temporary name and renamed: two builds sharing a cache each leave
 * a consistent file (a record is valid for any build that gives its page the same key). The first
 * line holds the SHA-1 of the rest: a file that is damaged or cut short is ignored as a whole, and
 * the pages are then read from the output as without a cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CachedRecord } from '../site/search-feed.ts';

const FILE = 'search-records.json';
const VERSION = 1;

/** The cached records by URL; empty when there are none, or they cannot be trusted. */
export async function readSearchRecords(cacheDir: string): Promise<Map<string, CachedRecord>> {
  const text = await readFile(path.join(cacheDir, FILE), 'utf8').catch(() => '');
  const newline = text.indexOf('\n');
  if (newline < 0) return new Map();
  try {
    const head = JSON.parse(text.slice(0, newline)) as { version?: number; sha1?: string };
    const body = text.slice(newline + 1);
    if (head.version !== VERSION || head.sha1 !== sha1(body)) return new Map();
    return new Map(Object.entries(JSON.parse(body) as Record<string, CachedRecord>));
  } catch {
    return new Map();
  }
}

/** Replaces the cached records; nothing is written when they are those read before the build (`previous`). */
export async function writeSearchRecords(
  cacheDir: string,
  records: ReadonlyMap<string, CachedRecord>,
  previous: ReadonlyMap<string, CachedRecord> = new Map(),
): Promise<void> {
  if (sameRecords(records, previous)) return;
  const body = JSON.stringify(Object.fromEntries(records));
  const file = path.join(cacheDir, FILE);
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temp, `${JSON.stringify({ version: VERSION, sha1: sha1(body) })}\n${body}`);
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

function sameRecords(a: ReadonlyMap<string, CachedRecord>, b: ReadonlyMap<string, CachedRecord>): boolean {
  if (a.size !== b.size) return false;
  for (const [url, entry] of a) {
    const other = b.get(url);
    if (other?.key !== entry.key || other.record !== entry.record) return false;
  }
  return true;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}
