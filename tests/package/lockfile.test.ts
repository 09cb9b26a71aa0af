/**
 * The committed lockfile is complete: `npm install` would not change it (it holds every
 * platform's optional bindings, so `npm ci` works on any machine). Checked on a copy of
 * package.json and package-lock.json in a temporary folder, so the checkout is never touched.
 * npm may ask the registry about packages the lockfile lacks.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'atlas-lockfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('npm install --package-lock-only leaves package-lock.json unchanged', () => {
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(root, file), path.join(dir, file));
  const run = spawnSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const committed = readFileSync(path.join(root, 'package-lock.json'), 'utf8');
  const rewritten = readFileSync(path.join(dir, 'package-lock.json'), 'utf8');
  // On failure: run `npm install` and commit the lockfile it writes.
  expect(rewritten === committed, 'package-lock.json is stale or incomplete: run `npm install` and commit it').toBe(true);
});
