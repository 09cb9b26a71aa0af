/**
 * Real `atlas build`s of tiny corpora: two at once from one folder each publish only their own
 * rules and write nothing into that folder; a build killed between the two renames of the swap
 * leaves the old site complete beside --out and the next build recovers; SIGINT while Astro
 * renders leaves the old site as it was and no staging folder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { atlas, atlasAsync, exited, projectRoot, removeTemp, tempDir, treeHashes, writeRules } from './helpers.ts';

let root: string;
const titlesA = ['Alpha Rule One', 'Alpha Rule Two'];
const titlesB = ['Bravo Rule One', 'Bravo Rule Two', 'Bravo Rule Three'];

const args = (sigma: string, out: string) => ['build', '--sigma', sigma, '--out', out, '--no-cache', '--no-git'];

function ruleTitles(site: string): string[] {
  return (JSON.parse(readFileSync(path.join(site, 'api/rules.json'), 'utf8')) as { title: string }[]).map((r) => r.title).sort();
}

/** Titles of the rules that have a page in the site. */
function pageTitles(site: string, all: string[]): string[] {
  const pages = readdirSync(path.join(site, 'rules'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.html'));
  const html = pages.map((f) => readFileSync(path.join(site, 'rules', f), 'utf8')).join('\n');
  return all.filter((t) => html.includes(t)).sort();
}

beforeAll(async () => {
  root = tempDir('site');
  writeRules(path.join(root, 'a'), titlesA);
  writeRules(path.join(root, 'b'), titlesB);
  const [one, two] = await Promise.all([exited(atlasAsync(args('a', 'site-a'), { cwd: root })), exited(atlasAsync(args('b', 'site-b'), { cwd: root }))]);
  expect(one.code, one.stderr).toBe(0);
  expect(two.code, two.stderr).toBe(0);
}, 300_000);

afterAll(removeTemp);

describe('atlas build', { timeout: 300_000 }, () => {
  test('two builds at once from one folder: each site holds only its own rules; nothing written in the folder', () => {
    const all = [...titlesA, ...titlesB];
    expect(ruleTitles(path.join(root, 'site-a'))).toEqual([...titlesA].sort());
    expect(pageTitles(path.join(root, 'site-a'), all)).toEqual([...titlesA].sort());
    expect(ruleTitles(path.join(root, 'site-b'))).toEqual([...titlesB].sort());
    expect(pageTitles(path.join(root, 'site-b'), all)).toEqual([...titlesB].sort());
    expect(readdirSync(root).sort()).toEqual(['a', 'b', 'site-a', 'site-b']);
  });

  test('SIGKILL between the two renames of the swap: the old site complete beside --out; the next build recovers', () => {
    const oldSite = treeHashes(path.join(root, 'site-a'));
    expect(Object.keys(oldSite).length).toBeGreaterThan(50);
    const killed = atlas(args('b', 'site-a'), {
      cwd: root,
      faults: true,
      env: {
        ATLAS_FAULT_ROOT: root,
        ATLAS_FAULT_MATCH: '^rename .*/\\.atlas-staging-site-a-\\d+-\\w+/site$',
        ATLAS_FAULT_AT: '1',
        ATLAS_FAULT_SIGNAL: 'SIGKILL',
      },
    });
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const entries = readdirSync(root);
    expect(entries).not.toContain('site-a');
    const aside = entries.filter((e) => e.startsWith('.atlas-old-site-a-'));
    expect(aside).toHaveLength(1);
    expect(treeHashes(path.join(root, aside[0]))).toEqual(oldSite);

    const next = atlas(args('b', 'site-a'), { cwd: root });
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/recovered .*site-a from an interrupted publish/);
    expect(readdirSync(root).sort()).toEqual(['a', 'b', 'site-a', 'site-b']);
    // Built from b into either folder: the same bytes.
    expect(treeHashes(path.join(root, 'site-a'))).toEqual(treeHashes(path.join(root, 'site-b')));
  });

  test('SIGINT while the pages render: exit 130, the old site as it was, no staging folder', async () => {
    const before = treeHashes(path.join(root, 'site-a'));
    const child = atlasAsync(args('a', 'site-a'), { cwd: root });
    const done = exited(child);
    // Interrupt once the catalog is done and Astro has started.
    await new Promise<void>((resolve) => {
      let seen = '';
      child.stdout.on('data', (d) => {
        seen += d;
        if (/^predict /m.test(seen)) {
          setTimeout(() => child.kill('SIGINT'), 300);
          resolve();
        }
      });
    });
    const run = await done;
    expect(run.code, run.stdout + run.stderr).toBe(130);
    expect(run.stderr).toMatch(/^SIGINT: stopped/m);
    expect(readdirSync(root).sort()).toEqual(['a', 'b', 'site-a', 'site-b']);
    expect(treeHashes(path.join(root, 'site-a'))).toEqual(before);
    // Astro's render folder inside the project, left by the killed process, goes with the next build.
    const left = readdirSync(path.join(projectRoot, '.cache')).filter((e) => e.startsWith(`site-staging-${child.pid}-`));
    const next = atlas(args('b', 'site-a'), { cwd: root });
    expect(next.status, next.stderr).toBe(0);
    expect(readdirSync(path.join(projectRoot, '.cache')).filter((e) => left.includes(e))).toEqual([]);
  });
});
