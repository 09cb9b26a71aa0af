/**
 * Kill `atlas catalog` at every file-system step of writing the API and publishing it (counted by
 * tests/safety/fault-preload.mjs), with SIGKILL and with SIGINT: --out always holds the complete
 * old output or the complete new one — or, killed between the two renames of the swap, nothing,
 * with the complete old output beside it — and the next build publishes the new output and leaves
 * nothing else behind. A signal during the deletion of the old output after the swap may leave
 * part of it (`.atlas-trash-…`) for the next build to remove.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { atlas, removeTemp, tempDir, treeHashes, writeRules } from './helpers.ts';

let root: string;
let oldTree: Record<string, string>;
let newTree: Record<string, string>;
let steps: number;

const build = (sigma: string, cwd: string, env?: Record<string, string>) =>
  atlas(['catalog', '--sigma', sigma, '--out', 'site', '--no-cache', '--no-git'], { cwd, env, faults: env !== undefined });

/** A trial folder holding the old output. */
function trial(name: string): string {
  const dir = path.join(root, 'trials', name);
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(root, 'old', 'site'), path.join(dir, 'site'), { recursive: true });
  return dir;
}

beforeAll(() => {
  root = tempDir('faults');
  writeRules(path.join(root, 'rules-old'), ['Old Rule One', 'Old Rule Two', 'Old Rule Three']);
  writeRules(path.join(root, 'rules-new'), ['New Rule One', 'New Rule Two']);
  for (const [name, rules] of [
    ['old', 'rules-old'],
    ['new', 'rules-new'],
  ]) {
    mkdirSync(path.join(root, name));
    const run = build(path.join(root, rules), path.join(root, name));
    expect(run.status, run.stderr).toBe(0);
  }
  oldTree = treeHashes(path.join(root, 'old', 'site'));
  newTree = treeHashes(path.join(root, 'new', 'site'));
  // Count the steps of one uninterrupted build over the old output.
  const dir = trial('count');
  const counted = build(path.join(root, 'rules-new'), dir, { ATLAS_FAULT_ROOT: dir, ATLAS_FAULT_COUNT: path.join(root, 'count') });
  expect(counted.status, counted.stderr).toBe(0);
  expect(treeHashes(path.join(dir, 'site'))).toEqual(newTree);
  steps = Number(readFileSync(path.join(root, 'count'), 'utf8'));
}, 120_000);

afterAll(removeTemp);

/** Every step of the publish (the last ten), and every `every`th step of the API write before them. */
function points(every: number): number[] {
  const all = Array.from({ length: steps }, (_, i) => i + 1);
  return all.filter((n) => n > steps - 10 || n % every === 0);
}

function assertWhole(dir: string, at: number) {
  const entries = readdirSync(dir).sort();
  const site = treeHashes(path.join(dir, 'site'));
  if (entries.includes('site')) {
    const which = JSON.stringify(site) === JSON.stringify(oldTree) ? 'old' : JSON.stringify(site) === JSON.stringify(newTree) ? 'new' : 'mixed';
    expect(which, `killed at step ${at}: --out is neither the old nor the new output`).not.toBe('mixed');
    return which;
  }
  // Between the two renames: the old output, complete, moved aside.
  const aside = entries.filter((e) => e.startsWith('.atlas-old-site-'));
  expect(aside, `killed at step ${at}: --out missing and no old output beside it (${entries.join(', ')})`).toHaveLength(1);
  expect(treeHashes(path.join(dir, aside[0]))).toEqual(oldTree);
  return 'aside';
}

function assertRecovers(dir: string, at: number) {
  const next = build(path.join(root, 'rules-new'), dir);
  expect(next.status, next.stderr).toBe(0);
  expect(treeHashes(path.join(dir, 'site')), `after the kill at step ${at}`).toEqual(newTree);
  expect(readdirSync(dir), `leftovers after the kill at step ${at}`).toEqual(['site']);
}

describe('a build killed while writing and publishing its output', () => {
  test('the build has enough steps to make this meaningful', () => {
    expect(steps).toBeGreaterThan(20);
    expect(Object.keys(newTree)).toContain('.atlas-build.json');
    expect(Object.keys(newTree)).toContain('api/rules.json');
  });

  test('SIGKILL at each step: old or new output, never a mix; the next build recovers', () => {
    const seen = new Set<string>();
    const tally: Record<string, number> = {};
    for (const at of points(8)) {
      const dir = trial(`kill-${at}`);
      const run = build(path.join(root, 'rules-new'), dir, { ATLAS_FAULT_ROOT: dir, ATLAS_FAULT_AT: String(at), ATLAS_FAULT_SIGNAL: 'SIGKILL' });
      expect(run.signal, `step ${at}`).toBe('SIGKILL');
      const state = assertWhole(dir, at);
      seen.add(state);
      tally[state] = (tally[state] ?? 0) + 1;
      assertRecovers(dir, at);
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(`SIGKILL at ${points(8).length} of ${steps} steps: --out afterwards ${JSON.stringify(tally)}; recovered every time`);
    // The kills reached every phase: before the swap, between its renames, after it.
    expect([...seen].sort()).toEqual(['aside', 'new', 'old']);
  });

  test('SIGINT and SIGTERM at each step: exit 130/143 or a finished build, no staging folder left, old or new output', () => {
    for (const [i, at] of points(16).entries()) {
      const dir = trial(`int-${at}`);
      const signal = i % 2 ? 'SIGTERM' : 'SIGINT';
      const run = build(path.join(root, 'rules-new'), dir, { ATLAS_FAULT_ROOT: dir, ATLAS_FAULT_AT: String(at), ATLAS_FAULT_SIGNAL: signal });
      // 130/143 from the handler; 0 or death by the signal when it lands after the build let go of it.
      const code = signal === 'SIGINT' ? 130 : 143;
      expect(run.status === code || run.status === 0 || run.signal === signal, `${signal} at step ${at}: ${run.status} ${run.stderr}`).toBe(true);
      expect(
        readdirSync(dir).filter((e) => !e.startsWith('.atlas-trash-site-')),
        `step ${at}`,
      ).toEqual(['site']);
      assertWhole(dir, at);
      assertRecovers(dir, at);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failing write (EIO) is an internal error: exit 3, one line, the old output untouched', () => {
    const dir = trial('eio');
    const run = build(path.join(root, 'rules-new'), dir, { ATLAS_FAULT_ROOT: dir, ATLAS_FAULT_AT: String(Math.floor(steps / 2)), ATLAS_FAULT_SIGNAL: 'throw' });
    expect(run.status, run.stderr).toBe(3);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^internal error: injected EIO .*\(run with --debug for the stack\)$/)]);
    expect(readdirSync(dir)).toEqual(['site']);
    expect(treeHashes(path.join(dir, 'site'))).toEqual(oldTree);
    const debug = atlas(['catalog', '--sigma', path.join(root, 'rules-new'), '--out', 'site', '--no-cache', '--no-git', '--debug'], {
      cwd: dir,
      env: { ATLAS_FAULT_ROOT: dir, ATLAS_FAULT_AT: String(Math.floor(steps / 2)), ATLAS_FAULT_SIGNAL: 'throw' },
      faults: true,
    });
    expect(debug.status).toBe(3);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
