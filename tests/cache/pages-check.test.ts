/**
 * When the page cache (src/lib/cache/pages.ts) is checked: before the build by size (and by CRC
 * for the manifest and for page copies whose mtime moved), and a page copy's bytes where the
 * build reads them (`verifyCopy`, called by scripts/site.ts for every page Astro copied). On a
 * small temp folder with a hand-written manifest, without Astro.
 */
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { openPageCache } from '../../src/lib/cache/pages.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const quiet = () => {};
/** A fixed mtime (seconds) for the cache's files. */
const WHEN = 1_700_000_000;
const pages = { '/rules/a': 'rules/a/index.html', '/rules/c d': 'rules/c%20d/index.html' };

/** A sealed cache holding two page copies and a manifest pointing to them. */
async function sealedCache(): Promise<string> {
  const dir = path.join(tempDir('pages-check'), 'astro');
  const cache = await openPageCache(dir, quiet);
  for (const file of ['rules/a/index.html', 'rules/c d/index.html']) {
    mkdirSync(path.dirname(path.join(dir, 'dist', file)), { recursive: true });
    writeFileSync(path.join(dir, 'dist', file), `<p>${file}</p>`);
    utimesSync(path.join(dir, 'dist', file), WHEN, WHEN); // whole seconds, which utimes can set back exactly
  }
  const paths = Object.fromEntries(Object.entries(pages).map(([p, outputFile], i) => [p, { cacheKey: `k${i}`, outputFile }]));
  const manifest = { version: 1, configHash: 'c', lockfileHash: 'l', routes: { 'src/pages/rules/[slug].astro': { dependencyHash: 'h', paths } } };
  writeFileSync(path.join(dir, 'incremental-build.json'), JSON.stringify(manifest));
  utimesSync(path.join(dir, 'incremental-build.json'), WHEN, WHEN);
  await cache!.seal();
  await cache!.release();
  return dir;
}

/** Replaces a file's bytes with others of the same length, keeping its mtime (damage a stat cannot see). */
function flipKeepingMtime(file: string): void {
  expect(statSync(file).mtimeMs).toBe(WHEN * 1000);
  const bytes = readFileSync(file);
  bytes[1] ^= 0x20;
  writeFileSync(file, bytes);
  utimesSync(file, WHEN, WHEN);
}

describe('page cache check', () => {
  test('before the build only the manifest is read; the page copies are checked by size and mtime', async () => {
    const dir = await sealedCache();
    const cache = await openPageCache(dir, quiet);
    expect(cache?.reusable).toBe(true);
    expect(cache?.checked).toBe(3);
    expect(cache?.crcChecked).toBe(1);
    const copy = readFileSync(path.join(dir, 'dist', 'rules/c d/index.html'));
    expect(cache!.verifyCopy('rules/c%20d/index.html', copy)).toBeUndefined();
    await cache!.release();
  });

  test('a same-size change with its mtime kept passes the check before the build and fails verifyCopy', async () => {
    const dir = await sealedCache();
    const file = path.join(dir, 'dist', 'rules/a/index.html');
    flipKeepingMtime(file);
    const cache = await openPageCache(dir, quiet);
    expect(cache?.reusable).toBe(true);
    expect(cache!.verifyCopy('rules/a/index.html', readFileSync(file))).toBe(`dist${path.sep}rules${path.sep}a${path.sep}index.html does not match its record`);
    expect(cache!.verifyCopy('rules/c%20d/index.html', readFileSync(path.join(dir, 'dist', 'rules/c d/index.html')))).toBeUndefined();
    expect(cache!.verifyCopy('rules/zz/index.html', Buffer.from('x'))).toMatch(/is not in its record$/);

    // Dropped: removed whole with one warning line, then used as an empty cache.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await cache!.drop('dist/rules/a/index.html does not match its record');
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        `cache: ${dir} is damaged (dist/rules/a/index.html does not match its record): removed; every page is rendered and the cache rebuilt`,
      ]);
    } finally {
      warn.mockRestore();
    }
    expect(existsSync(dir)).toBe(false);
    const sealed = await cache!.seal();
    expect(sealed.reused).toBe(0);
    await cache!.release();
  });

  test('a same-size change that moved the mtime is read before the build: the folder is dropped', async () => {
    const dir = await sealedCache();
    const file = path.join(dir, 'dist', 'rules/a/index.html');
    const bytes = readFileSync(file);
    bytes[1] ^= 0x20;
    writeFileSync(file, bytes);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const cache = await openPageCache(dir, quiet);
      expect(cache?.reusable).toBe(false);
      expect(warn.mock.calls.map((c) => c[0])).toEqual([expect.stringMatching(/is damaged \(dist.rules.a.index\.html does not match its record\)/)]);
      await cache!.release();
    } finally {
      warn.mockRestore();
    }
    expect(existsSync(dir)).toBe(false);
  });

  test('a touched copy with its bytes intact is read, found sound, and kept', async () => {
    const dir = await sealedCache();
    utimesSync(path.join(dir, 'dist', 'rules/a/index.html'), new Date(), new Date(Date.now() + 5000));
    const cache = await openPageCache(dir, quiet);
    expect(cache?.reusable).toBe(true);
    expect(cache?.crcChecked).toBe(2);
    await cache!.release();
  });

  test('a changed manifest of the same size is found before the build', async () => {
    const dir = await sealedCache();
    flipKeepingMtime(path.join(dir, 'incremental-build.json'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const cache = await openPageCache(dir, quiet);
      expect(cache?.reusable).toBe(false);
      await cache!.release();
    } finally {
      warn.mockRestore();
    }
  });
});
