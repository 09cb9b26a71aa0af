/**
 * `atlas build` as a rule repository's CI runs it: from another working directory, with
 * absolute paths, writing a complete site (pages, search index, api/) into --out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

test('builds the sample site from any working directory', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'atlas-cwd-'));
  const out = path.join(cwd, 'site');
  try {
    const result = spawnSync(
      process.execPath,
      [path.join(root, 'scripts', 'atlas.mjs'), 'build', '--sigma', path.join(root, 'rules'), '--atomics', path.join(root, 'atomics'), '--out', out],
      { cwd, encoding: 'utf8' },
    );
    expect(result.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
    expect(result.status).toBe(0);
    for (const file of ['index.html', 'rules/index.html', 'pagefind/pagefind.js', 'api/rules.json']) {
      expect(existsSync(path.join(out, file)), file).toBe(true);
    }
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
