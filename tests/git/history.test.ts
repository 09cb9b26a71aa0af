import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datesOf, ruleDay } from '../../src/lib/git/dates.ts';
import { gitFileDates, gitHead, parseGitLog } from '../../src/lib/git/history.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { rule } from '../cache/corpus.ts';
import { runGit } from './repo.ts';

let repo: string;
let sigma: string;
const git = (args: string[], date?: string) => runGit(repo, args, date);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  writeFileSync(path.join(repo, file), text);
};
const yml = (id: string, title: string, extra: Partial<Parameters<typeof rule>[0]> = {}) =>
  rule({ id, title, selection: 'Image: x', date: '2020-01-01', ...extra });

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'atlas-git-'));
  git(['-c', 'init.defaultBranch=main', 'init', '-q']);
  write('sigma/rules/a.yml', yml('aaaaaaaa-0000-4000-8000-000000000001', 'A'));
  write('sigma/rules/b.yml', yml('bbbbbbbb-0000-4000-8000-000000000002', 'B'));
  write('README.md', 'outside the Sigma root\n');
  git(['add', '.']);
  git(['commit', '-q', '-m', 'one'], '2024-01-02T10:00:00Z');
  write('sigma/rules/a.yml', yml('aaaaaaaa-0000-4000-8000-000000000001', 'A changed'));
  mkdirSync(path.join(repo, 'sigma/rules/moved'));
  renameSync(path.join(repo, 'sigma/rules/b.yml'), path.join(repo, 'sigma/rules/moved/b.yml'));
  git(['add', '-A']);
  // 23:30 at UTC-5 is the next day in UTC.
  git(['commit', '-q', '-m', 'two'], '2024-03-04T23:30:00-05:00');
  // A rule added later: history tells the files apart, so repository dates are shown.
  write('sigma/rules/d.yml', yml('dddddddd-0000-4000-8000-000000000004', 'D'));
  git(['add', '-A']);
  git(['commit', '-q', '-m', 'three'], '2024-05-06T10:00:00Z');
  // Not committed: its dates come from the rule itself.
  write('sigma/rules/c.yml', yml('cccccccc-0000-4000-8000-000000000003', 'C', { date: '2023/07/08', modified: '2023-09-10' }));
  sigma = path.join(repo, 'sigma');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('git history', () => {
  it('finds the checkout and its commit', async () => {
    expect(await gitHead(sigma)).toEqual({ head: git(['rev-parse', 'HEAD']).trim(), shallow: false });
    expect(await gitHead(tmpdir())).toBeUndefined();
  });

  it('dates every file below a folder in one pass, following renames, in UTC days', async () => {
    expect(Object.fromEntries(await gitFileDates(sigma))).toEqual({
      'rules/a.yml': { created: '2024-01-02', lastModified: '2024-03-05' },
      'rules/moved/b.yml': { created: '2024-01-02', lastModified: '2024-03-05' },
      'rules/d.yml': { created: '2024-05-06', lastModified: '2024-05-06' },
    });
  });

  it('parses renames, deletions and re-additions', () => {
    const log = [
      '\u001e1717200000\u0000\nA\u0000x.yml\u0000', // 2024-06-01: x.yml added again
      '\u001e1714521600\u0000\nD\u0000x.yml\u0000', // 2024-05-01: the old x.yml deleted
      '\u001e1711929600\u0000\nR095\u0000old.yml\u0000new.yml\u0000M\u0000x.yml\u0000', // 2024-04-01
      '\u001e1704067200\u0000\nA\u0000old.yml\u0000A\u0000x.yml\u0000', // 2024-01-01
    ].join('');
    expect(Object.fromEntries(parseGitLog(log))).toEqual({
      'x.yml': { created: '2024-06-01', lastModified: '2024-06-01' },
      'new.yml': { created: '2024-01-01', lastModified: '2024-04-01' },
    });
  });
});

describe('rule dates', () => {
  it('read Sigma dates in both spellings and reject impossible ones', () => {
    expect(ruleDay('2023/07/08')).toBe('2023-07-08');
    expect(ruleDay('2023-07-08')).toBe('2023-07-08');
    expect(ruleDay('2023-02-30')).toBeUndefined();
    expect(ruleDay('yesterday')).toBeUndefined();
    expect(datesOf({ date: '2023/07/08' }, undefined)).toEqual({ created: '2023-07-08', lastModified: '2023-07-08' });
    expect(datesOf({}, undefined)).toEqual({});
    const git = { created: '2024-01-02', lastModified: '2024-03-05' };
    expect(datesOf({ date: '2023/07/08' }, git)).toEqual({ created: '2023-07-08', lastModified: '2023-07-08', repository: git });
    expect(datesOf({}, git)).toEqual({ created: '2024-01-02', lastModified: '2024-03-05', repository: git });
  });

  it("come from the rule's own date/modified first; git dates of a checkout are kept apart, on the catalog rules", async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'atlas-git-cache-'));
    try {
      const lines: string[] = [];
      const catalog = await runCatalog({ sigma: [sigma], gitDates: true, cache }, (l) => lines.push(l));
      const dates = Object.fromEntries(catalog.rules.map((r) => [r.path, [r.created, r.lastModified, r.repository]]));
      expect(dates).toEqual({
        'rules/a.yml': ['2020-01-01', '2020-01-01', { created: '2024-01-02', lastModified: '2024-03-05' }],
        'rules/moved/b.yml': ['2020-01-01', '2020-01-01', { created: '2024-01-02', lastModified: '2024-03-05' }],
        'rules/c.yml': ['2023-07-08', '2023-09-10', undefined],
        'rules/d.yml': ['2020-01-01', '2020-01-01', { created: '2024-05-06', lastModified: '2024-05-06' }],
      });
      expect(lines.find((l) => l.startsWith('git '))).toMatch(/^git +dates for 3 files from 1 history pass \(/);
      const again: string[] = [];
      await runCatalog({ sigma: [sigma], gitDates: true, cache }, (l) => again.push(l));
      expect(again.find((l) => l.startsWith('git '))).toMatch(/^git +dates for 3 files from the cache \(HEAD unchanged\)/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('come from the rules in a shallow clone, which lacks the history', async () => {
    const shallow = path.join(repo, '..', `${path.basename(repo)}-shallow`);
    runGit(path.dirname(repo), ['clone', '-q', '--depth', '1', `file://${repo}`, shallow]);
    try {
      const lines: string[] = [];
      const catalog = await runCatalog({ sigma: [path.join(shallow, 'sigma')], gitDates: true }, (l) => lines.push(l));
      expect(catalog.rules.find((r) => r.path === 'rules/a.yml')).toMatchObject({ created: '2020-01-01', lastModified: '2020-01-01' });
      expect(lines.find((l) => l.startsWith('git '))).toMatch(
        /is a shallow clone \(fetch the full history, e\.g\. fetch-depth: 0\): dates from the rules' date\/modified/,
      );
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });
});
