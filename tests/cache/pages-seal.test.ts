/**
 * The page cache's seal (src/lib/cache/pages.ts) on a small temp folder and a hand-written Astro
 * manifest: page copies the new manifest does not point to are deleted (Astro prunes only against
 * a manifest it accepted, so copies from a build with another config or lockfile hash stay).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openPageCache } from '../../src/lib/cache/pages.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const quiet = () => {};
const cacheDir = () => path.join(tempDir('pages-seal'), 'astro');

describe('page cache seal', () => {
  test('page copies that no entry of the new manifest points to are deleted', async () => {
    const dir = cacheDir();
    const copy = (file: string) => {
      mkdirSync(path.dirname(path.join(dir, 'dist', file)), { recursive: true });
      writeFileSync(path.join(dir, 'dist', file), `<p>${file}</p>`);
    };
    // A cache from a build whose config or lockfile hash differs: Astro ignores its manifest, so it prunes nothing.
    const cache = await openPageCache(dir, quiet);
    for (const file of ['rules/a/index.html', 'rules/b/index.html', 'rules/c d/index.html', 'old/gone/index.html']) copy(file);
    const manifest = {
      version: 1,
      configHash: 'new',
      lockfileHash: 'new',
      routes: {
        'src/pages/rules/[slug].astro': {
          dependencyHash: 'h',
          paths: {
            '/rules/a': { cacheKey: 'k1', outputFile: 'rules/a/index.html' },
            '/rules/c d': { cacheKey: 'k3', outputFile: 'rules/c%20d/index.html' },
          },
        },
      },
    };
    writeFileSync(path.join(dir, 'incremental-build.json'), JSON.stringify(manifest));
    const sealed = await cache!.seal();
    await cache!.release();
    expect(sealed.keyed).toBe(2);
    expect(existsSync(path.join(dir, 'dist', 'rules/a/index.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'dist', 'rules/c d/index.html'))).toBe(true);
    expect(existsSync(path.join(dir, 'dist', 'rules/b/index.html'))).toBe(false);
    expect(existsSync(path.join(dir, 'dist', 'old'))).toBe(false);
    const record = JSON.parse(readFileSync(path.join(dir, 'atlas-check.json'), 'utf8'));
    expect(Object.keys(record.files).sort()).toEqual(['dist/rules/a/index.html', 'dist/rules/c d/index.html', 'incremental-build.json']);
    // the next build finds the folder intact
    const next = await openPageCache(dir, quiet);
    expect(next?.reusable).toBe(true);
    expect(next?.checked).toBe(3);
    await next!.release();
  });

  test('without a manifest nothing is pruned', async () => {
    const dir = cacheDir();
    const cache = await openPageCache(dir, quiet);
    mkdirSync(path.join(dir, 'dist', 'x'), { recursive: true });
    writeFileSync(path.join(dir, 'dist', 'x', 'index.html'), 'x');
    await cache!.seal();
    await cache!.release();
    expect(existsSync(path.join(dir, 'dist', 'x', 'index.html'))).toBe(true);
  });
});
