import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSearchRecords, writeSearchRecords } from '../../src/lib/cache/search-records.ts';
import type { CachedRecord } from '../../src/lib/site/search-feed.ts';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const records = new Map<string, CachedRecord>([
  ['/rules/a/', { key: 'k1 sha', record: '<main data-pagefind-body>A é</main>' }],
  ['/tags/b/', { key: 'k2', record: null }],
]);

describe('search records cache', () => {
  it('reads back what it wrote, and nothing when there is no file', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    expect((await readSearchRecords(dir)).size).toBe(0);
    await writeSearchRecords(dir, records);
    expect(await readSearchRecords(dir)).toEqual(records);
  });

  it('ignores a damaged, truncated or foreign file as a whole', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    await writeSearchRecords(dir, records);
    const file = path.join(dir, 'search-records.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('A é', 'B é'));
    expect((await readSearchRecords(dir)).size).toBe(0);
    writeFileSync(file, good.slice(0, good.length - 10));
    expect((await readSearchRecords(dir)).size).toBe(0);
    writeFileSync(file, good.replace('"version":1', '"version":0'));
    expect((await readSearchRecords(dir)).size).toBe(0);
    writeFileSync(file, 'not json\n{}');
    expect((await readSearchRecords(dir)).size).toBe(0);
  });
});

describe('writeSearchRecords', () => {
  it('leaves the file alone when the records are those read before', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    await writeSearchRecords(dir, records);
    const file = path.join(dir, 'search-records.json');
    writeFileSync(file, 'marker');
    await writeSearchRecords(dir, new Map(records), records);
    expect(readFileSync(file, 'utf8')).toBe('marker');
    await writeSearchRecords(dir, new Map([...records, ['/c/', { key: 'k3', record: null }]]), records);
    expect((await readSearchRecords(dir)).size).toBe(3);
  });
});
