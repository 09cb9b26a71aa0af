/** A checkout whose history is one import commit: git dates say nothing about the rules. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sameFirstCommitDay } from '../../src/lib/cache/git.ts';
import { gitCommit } from '../../src/lib/git/history.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { rule } from '../cache/corpus.ts';
import { runGit } from './repo.ts';

let repo: string;
const DATE = '2026-11-23T08:00:00Z';
const git = (args: string[]) => runGit(repo, args, DATE);

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'atlas-one-commit-'));
  git(['-c', 'init.defaultBranch=main', 'init', '-q']);
  mkdirSync(path.join(repo, 'rules'));
  writeFileSync(
    path.join(repo, 'rules/a.yml'),
    rule({ id: 'aaaaaaaa-0000-4000-8000-000000000001', title: 'A', selection: 'Image: x', date: '2019-10-12', modified: '2023-08-17' }),
  );
  writeFileSync(path.join(repo, 'rules/b.yml'), rule({ id: 'bbbbbbbb-0000-4000-8000-000000000002', title: 'B', selection: 'Image: y', date: '2021-02-03' }));
  git(['add', '.']);
  git(['commit', '-q', '-m', 'import']);
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

it('shows no repository dates, says so once, and keeps the rules own dates', async () => {
  const lines: string[] = [];
  const catalog = await runCatalog({ sigma: [repo], gitDates: true }, (l) => lines.push(l));
  expect(catalog.rules.map((r) => [r.path, r.created, r.lastModified, r.repository])).toEqual([
    ['rules/a.yml', '2019-10-12', '2023-08-17', undefined],
    ['rules/b.yml', '2021-02-03', '2021-02-03', undefined],
  ]);
  const notes = lines.filter((l) => l.includes('first committed on'));
  expect(notes).toHaveLength(1);
  expect(notes[0]).toContain(
    `every file under ${repo} was first committed on 2026-11-23, so git history does not tell them apart and repository dates are not shown`,
  );
});

it('records the checkout commit and its date as provenance', async () => {
  const head = git(['rev-parse', 'HEAD']).trim();
  expect(await gitCommit(repo)).toEqual({ commit: head, date: '2026-11-23T08:00:00+00:00' });
  const catalog = await runCatalog({ sigma: [repo], gitDates: true });
  expect(catalog.provenance?.sources).toEqual([{ kind: 'sigma', name: path.basename(repo), commit: head, commitDate: '2026-11-23T08:00:00+00:00' }]);
  expect(catalog.provenance?.tool.name).toBe('detection-atlas');
  expect(catalog.provenance?.attack).toBeUndefined();
});

it('needs two files sharing one day to call a history uninformative', () => {
  const d = (created: string) => ({ created, lastModified: created });
  expect(
    sameFirstCommitDay(
      new Map([
        ['a', d('2024-01-01')],
        ['b', d('2024-01-01')],
      ]),
    ),
  ).toBe('2024-01-01');
  expect(
    sameFirstCommitDay(
      new Map([
        ['a', d('2024-01-01')],
        ['b', d('2024-01-02')],
      ]),
    ),
  ).toBeUndefined();
  expect(sameFirstCommitDay(new Map([['a', d('2024-01-01')]]))).toBeUndefined();
});
