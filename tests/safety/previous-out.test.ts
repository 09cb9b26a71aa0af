/**
 * A local `--previous` may be the output itself (`--previous dist --out dist`, or its `api/`):
 * it is read before it is replaced. Any other overlap between the two is refused, whether or not
 * `--out` carries the marker of an earlier build. Run with `atlas catalog` (same guard, no Astro).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { previousIsOut } from '../../src/lib/output/guard.ts';
import { atlas, removeTemp, tempDir, treeHashes, writeRules } from './helpers.ts';

afterAll(removeTemp);

const catalog = (cwd: string, ...args: string[]) => atlas(['catalog', '--sigma', 'rules', '--no-cache', '--no-git', ...args], { cwd });
const ok = (run: ReturnType<typeof atlas>) => expect(run.status, run.stdout + run.stderr).toBe(0);
const changes = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'api', 'changes.json'), 'utf8')) as { previous: { rules: number } };

describe('--previous and --out', () => {
  test('previousIsOut: the output folder or its api/ folder, nothing else', async () => {
    const root = tempDir('previous-is-out');
    expect(await previousIsOut(path.join(root, 'dist'), path.join(root, 'dist'))).toBe(true);
    expect(await previousIsOut(path.join(root, 'dist', 'api'), path.join(root, 'dist'))).toBe(true);
    expect(await previousIsOut(path.join(root, 'dist', 'api', 'rules'), path.join(root, 'dist'))).toBe(false);
    expect(await previousIsOut(root, path.join(root, 'dist'))).toBe(false);
    expect(await previousIsOut(path.join(root, 'other'), path.join(root, 'dist'))).toBe(false);
  });

  test('--previous dist --out dist (and dist/api): the earlier build is read, then replaced', () => {
    const root = tempDir('previous-same');
    writeRules(path.join(root, 'rules'), ['Rule A', 'Rule B']);
    // First build: dist does not exist yet, so there is nothing to compare with.
    ok(catalog(root, '--out', 'dist', '--previous', 'dist'));
    expect(existsSync(path.join(root, 'dist', '.atlas-build.json'))).toBe(true);
    writeRules(path.join(root, 'rules'), ['Rule C']);
    ok(catalog(root, '--out', 'dist', '--previous', 'dist'));
    expect(changes(path.join(root, 'dist')).previous.rules).toBe(2);
    ok(catalog(root, '--out', 'dist', '--previous', 'dist/api'));
    expect(changes(path.join(root, 'dist')).previous.rules).toBe(3);
  });

  test('an --out inside another earlier build given as --previous is refused, though --out carries the marker', () => {
    const root = tempDir('previous-around');
    writeRules(path.join(root, 'rules'), ['Rule A']);
    ok(catalog(root, '--out', 'archive'));
    ok(catalog(root, '--out', 'archive/site'));
    const before = treeHashes(root);
    const run = catalog(root, '--out', 'archive/site', '--previous', 'archive');
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/--out .*archive\/site lies inside the --previous folder/)]);
    expect(treeHashes(root)).toEqual(before);
  });

  test('a --previous inside a marked --out, other than its api/, is refused', () => {
    const root = tempDir('previous-inside');
    writeRules(path.join(root, 'rules'), ['Rule A']);
    ok(catalog(root, '--out', 'site'));
    const before = treeHashes(root);
    const run = catalog(root, '--out', 'site', '--previous', 'site/api/rules');
    expect(run.status, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/contains the --previous folder/);
    expect(treeHashes(root)).toEqual(before);
  });
});
