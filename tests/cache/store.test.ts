/**
 * A damaged cache section that cannot be replaced (a folder in its place) says so when the build
 * saves, besides the line that dropped it: the next build will meet the damage again.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { BuildCache } from '../../src/lib/cache/store.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'atlas-cache-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function saveOne(dir: string): Promise<{ written: number; lines: string[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const cache = await BuildCache.open(dir);
  const section = await cache.section<string>('sigma');
  section.set('rule.yml', 'modelled');
  const { written } = await cache.save();
  return { written, lines: warn.mock.calls.map((c) => String(c[0])) };
}

describe('cache sections that cannot be written', () => {
  test('a damaged section that cannot be replaced: dropped, then a warning that it stays', async () => {
    const dir = path.join(root, 'folder');
    mkdirSync(path.join(dir, 'sigma.v8'), { recursive: true });
    writeFileSync(path.join(dir, 'sigma.v8', 'x'), 'x');
    const file = path.join(dir, 'sigma.v8');
    const { written, lines } = await saveOne(dir);
    expect(written).toBe(0);
    expect(lines).toEqual([
      `cache: ${file} is damaged (EISDIR): dropped; its entries are rebuilt from the sources`,
      expect.stringMatching(
        new RegExp(
          `^cache: cannot write ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*\\): the damaged file stays, and the next build reads its inputs again$`,
        ),
      ),
    ]);
  });

  test('a damaged section that can be replaced: one line, and the next build trusts it', async () => {
    const dir = path.join(root, 'garbage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'sigma.v8'), 'garbage');
    const first = await saveOne(dir);
    expect(first.written).toBe(1);
    expect(first.lines).toEqual([expect.stringMatching(/is damaged \(checksum mismatch or undecodable\): dropped/)]);
    vi.restoreAllMocks();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const cache = await BuildCache.open(dir);
    expect((await cache.section<string>('sigma')).get('rule.yml')).toBe('modelled');
    expect(warn).not.toHaveBeenCalled();
  });
});
