/**
 * Missing inputs, empty corpora and usage errors end the build before any work with exit 2 and
 * one line, and publish nothing; the build runs from a folder it cannot write.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { atlas, removeTemp, tempDir, writeRules } from './helpers.ts';

afterAll(removeTemp);

function fails(run: ReturnType<typeof atlas>, pattern: RegExp) {
  expect(run.status, run.stdout + run.stderr).toBe(2);
  expect(run.stderr.split('\n')[0]).toMatch(pattern);
}

describe('inputs', () => {
  const root = tempDir('inputs');
  writeRules(path.join(root, 'rules'), ['Rule A']);
  writeFileSync(path.join(root, 'notes.txt'), 'not a rule');
  mkdirSync(path.join(root, 'empty'));
  const run = (...args: string[]) => atlas([...args, '--no-cache', '--no-git'], { cwd: root });

  test('a --sigma root that does not exist: exit 2, one line, nothing written', () => {
    const r = run('build', '--sigma', 'nope', '--out', 'out');
    fails(r, /^--sigma nope: no such folder$/);
    expect(r.stdout).toBe('');
    expect(existsSync(path.join(root, 'out'))).toBe(false);
  });

  test('a --sigma that is a file, a missing --atomics or --attack: exit 2', () => {
    fails(run('catalog', '--sigma', 'notes.txt', '--out', 'out'), /^--sigma notes.txt: not a folder/);
    fails(run('catalog', '--sigma', 'rules', '--atomics', 'nope', '--out', 'out'), /^--atomics nope: no such folder$/);
    fails(run('catalog', '--sigma', 'rules', '--attack', 'nope.json', '--out', 'out'), /^--attack nope.json: no such file$/);
    expect(existsSync(path.join(root, 'out'))).toBe(false);
  });

  test('zero rules: exit 2 and nothing published, unless --allow-empty', () => {
    fails(run('catalog', '--sigma', 'empty', '--out', 'out'), /^no rules found in empty .*--allow-empty/);
    expect(existsSync(path.join(root, 'out'))).toBe(false);
    const allowed = run('catalog', '--sigma', 'empty', '--out', 'out', '--allow-empty');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(existsSync(path.join(root, 'out', 'api', 'rules.json'))).toBe(true);
  });

  test('usage errors: an extra positional argument, an unknown flag, a bad number', () => {
    fails(run('catalog', 'extra', '--sigma', 'rules', '--out', 'o2'), /^Unexpected argument "extra"/);
    fails(run('catalog', '--sigma', 'rules', '--frobnicate', '--out', 'o2'), /frobnicate/);
    fails(run('catalog', '--sigma', 'rules', '--out', 'o2', '--previous-timeout', 'soon'), /^--previous-timeout: "soon" is not a positive number$/);
    expect(existsSync(path.join(root, 'o2'))).toBe(false);
  });

  test('an ATLAS_BASE with %, ? or # (Astro decodes the page paths under it): exit 2, one line naming the value, nothing written', () => {
    const withBase = (base: string) => atlas(['build', '--sigma', 'rules', '--out', 'o3', '--no-cache', '--no-git'], { cwd: root, env: { ATLAS_BASE: base } });
    const r = withBase('/my%20x/');
    fails(r, /^ATLAS_BASE "\/my%20x\/": a base path cannot contain "%": Astro decodes .* write the path unencoded \(e\.g\. "\/my x\/"\)$/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    fails(withBase('/a?b/'), /^ATLAS_BASE "\/a\?b\/": a base path cannot contain "\?"/);
    fails(withBase('/a#b/'), /^ATLAS_BASE "\/a#b\/": a base path cannot contain "#"/);
    expect(existsSync(path.join(root, 'o3'))).toBe(false);
  });

  test('runs from a folder it cannot write (/proc): with --no-cache silently, with the default cache with a warning', () => {
    const out = path.join(root, 'from-proc');
    const r = atlas(['catalog', '--sigma', path.join(root, 'rules'), '--out', out, '--no-cache', '--no-git'], { cwd: '/proc' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(existsSync(path.join(out, 'api', 'rules.json'))).toBe(true);
    const cached = atlas(['catalog', '--sigma', path.join(root, 'rules'), '--out', out, '--no-git'], { cwd: '/proc' });
    expect(cached.status, cached.stderr).toBe(0);
    expect(cached.stderr).toMatch(/^cache: cannot write \/proc\/\.cache\/atlas\/sigma\.v8 .*the next build reads its inputs again$/m);
  });

  test('an --out whose folder cannot be made: exit 2, one line', () => {
    fails(
      run('catalog', '--sigma', 'rules', '--out', '/proc/no/site'),
      /^--out \/proc\/no\/site: cannot create the build's staging folder beside it \(ENOENT\)/,
    );
  });
});
