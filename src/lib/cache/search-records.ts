/**
 * The search records of the last build's keyed pages (`<atlas cache>/search-records.json`), so
 * that a page taken from the page cache (scripts/page-store.ts) need not be read back for search (site/search-feed.ts).
 * One file, written whole to a temporary name and renamed: two builds sharing a cache each leave
 * a consistent file (a record is valid for any build that gives its page the same key with the
 * same site code). The first line holds the SHA-1 of the rest and the fingerprint of the site code
 * that rendered the pages (cache/fingerprint.ts `siteFingerprint`): a file that is damaged, cut
 * short or written by other site code is ignored as a whole, and the pages are then taken from
 * their render or read back from the output, as without a cache.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CachedRecord } from '../site/search-feed.ts';

const FILE = 'search-records.json';
const VERSION = 2;

const Records = z.record(z.string(), z.object({ key: z.string(), record: z.string().nullable() }));

/** The cached records by URL; empty when there are none, or they cannot be trusted. */
export async function readSearchRecords(cacheDir: string, site: string): Promise<Map<string, CachedRecord>> {
  const text = await readFile(path.join(cacheDir, FILE), 'utf8').catch(() => '');
  const newline = text.indexOf('\n');
  if (newline < 0) return new Map();
  try {
    const head = JSON.parse(text.slice(0, newline)) as { version?: number; site?: string; sha1?: string };
    const body = text.slice(newline + 1);
    if (head.version !== VERSION || head.site !== site || head.sha1 !== sha1(body)) return new Map();
    const records = Records.safeParse(JSON.parse(body));
    return records.success ? new Map(Object.entries(records.data)) : new Map();
  } catch {
    return new Map();
  }
}

/** Replaces the cached records; nothing is written when they are those read before the build (`previous`, read under the same site code). */
export async function writeSearchRecords(
  cacheDir: string,
  site: string,
  records: ReadonlyMap<string, CachedRecord>,
  previous?: ReadonlyMap<string, CachedRecord>,
): Promise<void> {
  if (previous && sameRecords(records, previous)) return;
  // The body is made piece by piece, once for its sum and once for the file: as one string it
  // (≈40 MB on the full corpus) and its copies made this process's peak memory.
  const hash = createHash('sha1');
  for (const piece of bodyPieces(records)) hash.update(piece);
  const file = path.join(cacheDir, FILE);
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temp, 'w');
    try {
      let chunk = `${JSON.stringify({ version: VERSION, site, sha1: hash.digest('hex') })}\n`;
      for (const piece of bodyPieces(records)) {
        chunk += piece;
        if (chunk.length < 1 << 20) continue;
        await handle.writeFile(chunk); // to its end, however many writes it takes
        chunk = '';
      }
      await handle.writeFile(chunk); // to its end, however many writes it takes
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } finally {
    await rm(temp, { force: true });
  }
}

/** `JSON.stringify(Object.fromEntries(records))`, in pieces (no key is an array index: each is a URL path). */
function* bodyPieces(records: ReadonlyMap<string, CachedRecord>): Generator<string> {
  let separator = '{';
  for (const [url, { key, record }] of records) {
    yield `${separator}${JSON.stringify(url)}:${JSON.stringify({ key, record })}`;
    separator = ',';
  }
  yield records.size ? '}' : '{}';
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
