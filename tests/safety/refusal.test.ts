/**
 * `--out` at a place holding anything the build did not make: a clear refusal (exit 2, one line)
 * and not one file changed. Run with `atlas catalog` (same guard as `build`, no Astro).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { overlapProblem, relation } from '../../src/lib/output/guard.ts';
import { atlas, projectRoot, removeTemp, tempDir, treeHashes, writeRules } from './helpers.ts';

afterAll(removeTemp);

function refused(run: ReturnType<typeof atlas>, pattern: RegExp) {
  expect(run.status, run.stdout + run.stderr).toBe(2);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stdout).toBe('');
}

describe('paths', () => {
  test('relation and overlap', () => {
    expect(relation('/a/b', '/a/b')).toBe('same');
    expect(relation('/a/b/c', '/a/b')).toBe('inside');
    expect(relation('/a', '/a/b')).toBe('contains');
    expect(relation('/a/bc', '/a/b')).toBeUndefined();
    const keep = [{ what: 'tool', path: '/t', inside: false }];
    expect(overlapProblem('/t/dist', keep)).toBeUndefined();
    expect(overlapProblem('/', keep)).toMatch(/contains the tool/);
  });
});

describe('atlas refuses an --out it does not own', () => {
  test('the rule folder itself', () => {
    const root = tempDir('out-rules');
    writeRules(path.join(root, 'rules'), ['Rule A', 'Rule B']);
    const before = treeHashes(root);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', 'rules', '--no-cache', '--no-git'], { cwd: root }), /is the --sigma folder/);
    expect(treeHashes(root)).toEqual(before);
  });

  test('the parent of the rule folder, a folder inside the atomics', () => {
    const root = tempDir('out-parent');
    writeRules(path.join(root, 'repo', 'rules'), ['Rule A']);
    mkdirSync(path.join(root, 'atomics'));
    const before = treeHashes(root);
    refused(atlas(['catalog', '--sigma', 'repo/rules', '--out', 'repo', '--no-cache', '--no-git'], { cwd: root }), /contains the --sigma folder/);
    refused(
      atlas(['catalog', '--sigma', 'repo/rules', '--atomics', 'atomics', '--out', 'atomics/site', '--no-cache', '--no-git'], { cwd: root }),
      /lies inside the --atomics folder/,
    );
    expect(treeHashes(root)).toEqual(before);
  });

  test('inside the rule repository (GitLab Pages: public/ of the checkout): built, and the next build reads no output file as a rule', () => {
    const root = tempDir('out-inside');
    writeRules(path.join(root, 'repo'), ['Rule A', 'Rule B']);
    for (let i = 0; i < 2; i++) {
      const run = atlas(['catalog', '--sigma', 'repo', '--out', 'repo/public', '--no-cache', '--no-git'], { cwd: root });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^sigma +2 files/m);
    }
  });

  test('a folder of user files (tests/, tags/, rules/, index.html)', () => {
    const root = tempDir('out-user');
    writeRules(path.join(root, 'sigma'), ['Rule A']);
    for (const f of ['site/tests/a.txt', 'site/tags/b.txt', 'site/rules/c.txt', 'site/index.html']) {
      mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      writeFileSync(path.join(root, f), `mine: ${f}`);
    }
    const before = treeHashes(root);
    refused(atlas(['catalog', '--sigma', 'sigma', '--out', 'site', '--no-cache', '--no-git'], { cwd: root }), /not empty and was not made by atlas/);
    expect(treeHashes(root)).toEqual(before);
  });

  test('`--out .` in a clone of a rule repository', () => {
    const root = tempDir('out-clone');
    writeRules(path.join(root, 'rules'), ['Rule A']);
    writeRules(path.join(root, 'tests'), ['Rule T']);
    writeFileSync(path.join(root, 'README.md'), 'mine');
    execFileSync('git', ['init', '-q'], { cwd: root });
    const before = treeHashes(root);
    // Rules elsewhere, so only the marker check stands between the build and the clone.
    const rules = writeRules(path.join(tempDir('other'), 'rules'), ['Rule B']);
    refused(atlas(['catalog', '--sigma', rules, '--out', '.', '--no-cache', '--no-git'], { cwd: root }), /not empty and was not made by atlas/);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', '.', '--no-cache', '--no-git'], { cwd: root }), /contains the --sigma folder/);
    expect(treeHashes(root)).toEqual(before);
  });

  test("the tool's own public/, src/ and root", () => {
    const root = tempDir('out-tool');
    writeRules(path.join(root, 'rules'), ['Rule A']);
    const before = treeHashes(path.join(projectRoot, 'public'));
    refused(
      atlas(['catalog', '--sigma', 'rules', '--out', path.join(projectRoot, 'public'), '--no-cache', '--no-git'], { cwd: root }),
      /is the tool's public\/ folder/,
    );
    refused(
      atlas(['catalog', '--sigma', 'rules', '--out', path.join(projectRoot, 'src', 'x'), '--no-cache', '--no-git'], { cwd: root }),
      /lies inside the tool's src\/ folder/,
    );
    refused(atlas(['catalog', '--sigma', 'rules', '--out', projectRoot, '--no-cache', '--no-git'], { cwd: root }), /is the tool's own folder/);
    expect(treeHashes(path.join(projectRoot, 'public'))).toEqual(before);
  });

  test('the cache folder, an empty --out, a file, a symbolic link', () => {
    const root = tempDir('out-misc');
    writeRules(path.join(root, 'rules'), ['Rule A']);
    writeFileSync(path.join(root, 'file.txt'), 'mine');
    mkdirSync(path.join(root, 'target'));
    symlinkSync('target', path.join(root, 'link'));
    const before = treeHashes(root);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', '.cache', '--no-git'], { cwd: root }), /contains the cache folder/);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', '', '--no-cache', '--no-git'], { cwd: root }), /--out is empty/);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', 'file.txt', '--no-cache', '--no-git'], { cwd: root }), /is a file/);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', 'link', '--no-cache', '--no-git'], { cwd: root }), /symbolic link/);
    expect(treeHashes(root)).toEqual(before);
  });

  test('a marked output with a file the build did not write: refused, the file kept', () => {
    const root = tempDir('out-foreign');
    writeRules(path.join(root, 'rules'), ['Rule A']);
    const first = atlas(['catalog', '--sigma', 'rules', '--out', 'site', '--no-cache', '--no-git'], { cwd: root });
    expect(first.status, first.stderr).toBe(0);
    writeFileSync(path.join(root, 'site', 'CNAME'), 'detections.example.org');
    const before = treeHashes(root);
    refused(atlas(['catalog', '--sigma', 'rules', '--out', 'site', '--no-cache', '--no-git'], { cwd: root }), /files the last build did not write \(CNAME\)/);
    expect(treeHashes(root)).toEqual(before);
  });
});
