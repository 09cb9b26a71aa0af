/**
 * The page cache's record of Astro's page copies (src/lib/cache/pages.ts `seal`), on a small temp
 * folder standing in for Astro's: copies the new manifest no longer points to are deleted with the
 * folders they leave empty, the rest recorded, so the next build finds the folder intact.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openPageCache } from '../../src/lib/cache/pages.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

const quiet = () => {};

function write(dir: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), text);
}

/** Astro's manifest naming these output files (URL paths, as Astro writes them) for one route. */
function manifest(...outputFiles: string[]): string {
  const paths = Object.fromEntries(outputFiles.map((outputFile, i) => [`/p${i}/`, { cacheKey: `k${i}`, outputFile }]));
  return JSON.stringify({ configHash: 'c', lockfileHash: 'l', routes: { 'src/pages/x.astro': { dependencyHash: 'd', paths } } });
}

describe('page cache seal', () => {
  test('deletes the copies the new manifest does not name, and the folders left empty; the rest is recorded', async () => {
    const dir = path.join(tempDir('page-copies'), 'astro');
    const cache = await openPageCache(dir, quiet);
    write(dir, 'incremental-build.json', manifest('rules/a/index.html', 'rules/c%20d/index.html'));
    write(dir, 'dist/rules/a/index.html', 'a');
    write(dir, 'dist/rules/c d/index.html', 'c d');
    write(dir, 'dist/rules/gone/index.html', 'old');
    write(dir, 'dist/old/deep/index.html', 'old');
    const sealed = await cache!.seal();
    await cache!.release();
    expect(sealed.pruned).toBe(2);
    expect(readdirSync(path.join(dir, 'dist'))).toEqual(['rules']);
    expect(readdirSync(path.join(dir, 'dist', 'rules')).sort()).toEqual(['a', 'c d']);
    const again = await openPageCache(dir, quiet);
    expect(again?.reusable).toBe(true);
    expect(again?.checked).toBe(3);
    await again!.release();
  });

  test('deletes nothing without a manifest', async () => {
    const dir = path.join(tempDir('page-copies'), 'astro');
    const cache = await openPageCache(dir, quiet);
    write(dir, 'dist/rules/a/index.html', 'a');
    const sealed = await cache!.seal();
    await cache!.release();
    expect(sealed.pruned).toBe(0);
    expect(existsSync(path.join(dir, 'dist/rules/a/index.html'))).toBe(true);
  });
});
