/** src/lib/cache/page-pack.ts: the page cache's one file, written whole, read whole, checked. */
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PagePack, writePagePack, type PackedPage } from '../../src/lib/cache/page-pack.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const page = (url: string, key: string, body: string, footer = true): PackedPage => ({ url, key, body: Buffer.from(body), footer });
const text = (p: PackedPage | undefined) => (p ? Buffer.from(p.body).toString() : undefined);

function warnings() {
  const lines: string[] = [];
  return { lines, warn: (line: string) => lines.push(line) };
}

describe('page pack', () => {
  it('gives back each page under its URL and key, whatever the order written, and nothing under another key', async () => {
    const dir = tempDir('page-pack');
    await writePagePack(dir, 'site-a', [page('/rules/b/', 'kb', '<p>b ✓ 𝔸</p>'), page('/a/', 'ka', '<p>a</p>', false), page('/empty/', 'ke', '')]);
    const { lines, warn } = warnings();
    const pack = await PagePack.read(dir, 'site-a', warn);
    expect(pack.size).toBe(3);
    expect(text(pack.get('/rules/b/', 'kb'))).toBe('<p>b ✓ 𝔸</p>');
    expect(pack.get('/a/', 'ka')?.footer).toBe(false);
    expect(text(pack.get('/empty/', 'ke'))).toBe('');
    expect(pack.get('/rules/b/', 'other')).toBeUndefined();
    expect(pack.get('/none/', 'kb')).toBeUndefined();
    expect([...pack.keys()]).toEqual([
      ['/a/', 'ka'],
      ['/empty/', 'ke'],
      ['/rules/b/', 'kb'],
    ]);
    expect(lines).toEqual([]);
  });

  it('is empty without a file, and for other site code (no warning: the code changed)', async () => {
    const dir = tempDir('page-pack-other');
    const { lines, warn } = warnings();
    expect((await PagePack.read(dir, 'site-a', warn)).size).toBe(0);
    await writePagePack(dir, 'site-a', [page('/a/', 'ka', 'a')]);
    expect((await PagePack.read(dir, 'site-b', warn)).size).toBe(0);
    expect(lines).toEqual([]);
  });

  it('is empty, with one warning, when damaged or cut', async () => {
    const dir = tempDir('page-pack-damaged');
    await writePagePack(dir, 'site-a', [page('/a/', 'ka', '<p>aaaa</p>'), page('/b/', 'kb', '<p>bbbb</p>')]);
    const file = path.join(dir, 'pages.pack');
    const good = readFileSync(file);
    const cases: [string, Buffer][] = [
      ['a changed byte', Buffer.from(good.toString().replace('aaaa', 'aaab'))],
      ['cut short', good.subarray(0, good.length - 3)],
      ['no header', Buffer.from('garbage')],
      ['an empty file', Buffer.alloc(0)],
    ];
    for (const [what, bytes] of cases) {
      writeFileSync(file, bytes);
      const { lines, warn } = warnings();
      expect((await PagePack.read(dir, 'site-a', warn)).size, what).toBe(0);
      expect(lines, what).toEqual([expect.stringMatching(/^cache: .*pages\.pack is damaged \(.*\): not used; every page is rendered/)]);
    }
  });

  it('is replaced whole, and the temporary files of killed saves are removed', async () => {
    const dir = tempDir('page-pack-replace');
    await writePagePack(dir, 'site-a', [page('/a/', 'ka', 'one')]);
    const host = hostname().replace(/[^\w-]/g, '_');
    // A killed save's file (its process is gone) and a live one's (this process) are told apart; another
    // host's is kept until it is a day old.
    const killed = `pages.pack.${host}.999999999-0123456789abcdef.tmp`;
    const live = `pages.pack.${host}.${process.pid}-0123456789abcdef.tmp`;
    const foreign = 'pages.pack.other-host.1-0123456789abcdef.tmp';
    const foreignOld = 'pages.pack.other-host.2-0123456789abcdef.tmp';
    for (const name of [killed, live, foreign, foreignOld]) writeFileSync(path.join(dir, name), 'left');
    const dayAgo = new Date(Date.now() - 25 * 3600_000);
    utimesSync(path.join(dir, foreignOld), dayAgo, dayAgo);
    await writePagePack(dir, 'site-a', [page('/b/', 'kb', 'two')]);
    const pack = await PagePack.read(dir, 'site-a', () => {});
    expect(pack.get('/a/', 'ka')).toBeUndefined();
    expect(text(pack.get('/b/', 'kb'))).toBe('two');
    expect(readdirSync(dir).sort()).toEqual(['pages.pack', foreign, live].sort());
  });

  it('warns when the pack is there but cannot be read', async () => {
    const dir = tempDir('page-pack-unreadable');
    mkdirSync(path.join(dir, 'pages.pack'));
    const { lines, warn } = warnings();
    expect((await PagePack.read(dir, 'site-a', warn)).size).toBe(0);
    expect(lines).toEqual([expect.stringMatching(/pages\.pack is damaged \(it cannot be read: EISDIR\)/)]);
  });
});
