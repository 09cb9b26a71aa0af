/**
 * A deployment base with a space (ATLAS_BASE="/my x/") builds, and the pages link under it; one
 * with a `%` is refused before any work (tests/safety/inputs.test.ts, tests/site/base.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { atlas, removeTemp, tempDir, writeRules } from '../safety/helpers.ts';

afterAll(removeTemp);

test('a base path with a space: the site builds, its links carry the base', { timeout: 300_000 }, () => {
  const root = tempDir('base');
  writeRules(path.join(root, 'rules'), ['Spaced Base Rule']);
  const run = atlas(['build', '--sigma', 'rules', '--out', 'site', '--no-cache', '--no-git'], { cwd: root, env: { ATLAS_BASE: '/my x/' } });
  expect(run.status, run.stdout + run.stderr).toBe(0);
  const home = readFileSync(path.join(root, 'site', 'index.html'), 'utf8');
  expect(home).toContain('href="/my x/rules/"');
  const rules = JSON.parse(readFileSync(path.join(root, 'site', 'api', 'rules.json'), 'utf8')) as { url: string }[];
  expect(rules).toHaveLength(1);
  expect(existsSync(path.join(root, 'site', rules[0]!.url, 'index.html'))).toBe(true);
});
