/**
 * After a swap the old output is renamed `.atlas-trash-…` and the publish lock released before it
 * is deleted (by a detached remover, whose pid the folder's name then carries: trash.ts): a
 * Ctrl-C then exits without waiting for the deletion, the new output is in place, and the next
 * build removes what is left of the old one, marker or not, unless a live remover is on it.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { MARKER_FILE } from '../../src/lib/output/marker.ts';
import { parseLeftover, recoverLeftovers } from '../../src/lib/output/staging.ts';
import { atlas, removeTemp, tempDir, treeHashes, writeRules } from './helpers.ts';

afterAll(removeTemp);

/** A process id that is gone (a child that has exited). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

describe('old outputs being removed', () => {
  test("a trash folder is ours by name; a dead build's is removed whatever is left in it, a live one's kept", async () => {
    const root = tempDir('trash');
    const out = path.join(root, 'site');
    mkdirSync(out);
    expect(parseLeftover('.atlas-trash-site-123-abcDEF', out)).toEqual({ kind: 'trash', pid: 123 });
    expect(parseLeftover('.atlas-trash-other-123-abcDEF', out)).toBeUndefined();
    const dead = `.atlas-trash-site-${deadPid()}-aaaaaa`;
    mkdirSync(path.join(root, dead, 'rules', 'x'), { recursive: true }); // half deleted: no marker left
    writeFileSync(path.join(root, dead, 'rules', 'x', 'index.html'), 'old');
    const live = `.atlas-trash-site-${process.pid}-bbbbbb`;
    mkdirSync(path.join(root, live));
    writeFileSync(path.join(root, live, MARKER_FILE), '{}');
    expect(await recoverLeftovers(out)).toEqual([`removed ${dead} left by an interrupted build`]);
    expect(readdirSync(root).sort()).toEqual([live, 'site']);
  });

  test('Ctrl-C as the old output is handed to its remover: exit 130 at once, the new output whole; the next build clears the rest', () => {
    const root = tempDir('trash-int');
    writeRules(path.join(root, 'rules-old'), ['Old Rule One', 'Old Rule Two']);
    writeRules(path.join(root, 'rules-new'), ['New Rule One']);
    const build = (rules: string, env?: Record<string, string>) =>
      atlas(['catalog', '--sigma', rules, '--out', 'site', '--no-cache', '--no-git'], { cwd: root, env, faults: env !== undefined });
    expect(build('rules-new').status).toBe(0);
    const newTree = treeHashes(path.join(root, 'site'));
    expect(build('rules-old').status).toBe(0);
    const run = build('rules-new', {
      ATLAS_FAULT_ROOT: root,
      // The rename that gives the trash folder its remover's pid (its first argument: the name with this build's pid).
      ATLAS_FAULT_MATCH: '^rename .*/\\.atlas-trash-site-\\d+-\\w+$',
      ATLAS_FAULT_AT: '1',
      ATLAS_FAULT_SIGNAL: 'SIGINT',
    });
    expect(run.status, run.stderr).toBe(130);
    expect(treeHashes(path.join(root, 'site'))).toEqual(newTree);
    const entries = readdirSync(root).filter((e) => e.startsWith('.atlas-'));
    // The signal lands while the deletion runs: what is left of it may be anything down to nothing.
    expect(
      entries.every((e) => e.startsWith('.atlas-trash-site-')),
      entries.join(', '),
    ).toBe(true);
    const next = build('rules-new');
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(root).filter((e) => e.startsWith('.atlas-'))).toEqual([]);
    expect(treeHashes(path.join(root, 'site'))).toEqual(newTree);
  });
});
