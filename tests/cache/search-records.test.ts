import { createHash } from 'node:crypto';
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
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(0);
    await writeSearchRecords(dir, 'site-a', records);
    expect(await readSearchRecords(dir, 'site-a')).toEqual(records);
  });

  it('writes the body as one JSON object, in pieces larger than one write', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    const many = new Map<string, CachedRecord>(records);
    for (let i = 0; i < 3000; i++) many.set(`/rules/r${i}/`, { key: `k${i}`, record: `<p>"${'é'.repeat(i % 7)}\\${'x'.repeat(500)}</p>` });
    await writeSearchRecords(dir, 'site-a', many);
    const text = readFileSync(path.join(dir, 'search-records.json'), 'utf8');
    expect(text.slice(text.indexOf('\n') + 1)).toBe(JSON.stringify(Object.fromEntries(many)));
    expect(await readSearchRecords(dir, 'site-a')).toEqual(many);
    await writeSearchRecords(dir, 'site-a', new Map());
    expect(readFileSync(path.join(dir, 'search-records.json'), 'utf8').endsWith('\n{}')).toBe(true);
  });

  it('ignores a damaged, truncated or foreign file as a whole', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    await writeSearchRecords(dir, 'site-a', records);
    const file = path.join(dir, 'search-records.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.replace('A é', 'B é'));
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(0);
    writeFileSync(file, good.slice(0, good.length - 10));
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(0);
    writeFileSync(file, good.replace('"version":2', '"version":0'));
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(0);
    writeFileSync(file, 'not json\n{}');
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(0);
  });

  it('ignores records written by other site code', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    await writeSearchRecords(dir, 'site-a', records);
    expect((await readSearchRecords(dir, 'site-b')).size).toBe(0);
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(2);
  });

  it('ignores a body of another shape, even with a matching sum', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    const body = JSON.stringify({ '/a/': { key: 1, record: 'x' } });
    const sum = createHash('sha1').update(body).digest('hex');
    writeFileSync(path.join(dir, 'search-records.json'), `${JSON.stringify({ version: 2, site: 'site-a', sha1: sum })}\n${body}`);
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(0);
  });
});

describe('writeSearchRecords', () => {
  it('leaves the file alone when the records are those read before', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'search-records-'));
    await writeSearchRecords(dir, 'site-a', records);
    const file = path.join(dir, 'search-records.json');
    writeFileSync(file, 'marker');
    await writeSearchRecords(dir, 'site-a', new Map(records), records);
    expect(readFileSync(file, 'utf8')).toBe('marker');
    await writeSearchRecords(dir, 'site-a', new Map([...records, ['/c/', { key: 'k3', record: null }]]), records);
    expect((await readSearchRecords(dir, 'site-a')).size).toBe(3);
  });
});
