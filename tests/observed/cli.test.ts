/**
 * `atlas build --observed` (twice: a CSV and a sigma_redcanaryco folder) over the project's sample
 * corpus: the records reach api/, the test and rule pages and the calibration page, escaped.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../site/fixture-site.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'atlas-observed-cli-'));
const out = path.join(work, 'site');
const sample = path.join(projectRoot, 'tests/fixtures/observed/sample');
const T1049_1 = 'de334c8f-c2d5-449d-840b-20e0ab11763b';
const T1049_LINUX = '1acfc45b-7a34-4f0d-a116-673fc4db4690';
const NET = '2e1e215f-8703-49bf-ab26-060cea32e49e';
const LINUX_RULE = '40316f2f-070a-49c3-a72f-7446d183a147';
let stdout = '';

const text = (url: string) =>
  readFileSync(path.join(out, url, 'index.html'), 'utf8')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

beforeAll(() => {
  // From a scratch folder, so the build's cache and catalog file stay out of the project.
  const run = spawnSync(
    process.execPath,
    [
      path.join(projectRoot, 'scripts/atlas.mjs'),
      'build',
      '--no-cache',
      '--no-git',
      '--sigma',
      path.join(projectRoot, 'rules'),
      '--atomics',
      path.join(projectRoot, 'atomics'),
      '--out',
      out,
      '--observed',
      path.join(sample, 'lab.csv'),
      '--observed',
      path.join(sample, 'yml'),
    ],
    { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  stdout = run.stdout;
  if (run.status !== 0) throw new Error(`atlas build failed (${run.status}):\n${run.stderr}\n${run.stdout}`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('atlas build --observed', () => {
  it('reports the stage and the unknown test as a warning', () => {
    expect(stdout).toMatch(/observed 4 records from 2 files: 3 tests with real-run results/);
    const diagnostics = JSON.parse(readFileSync(path.join(out, 'api', 'diagnostics.json'), 'utf8')) as Array<{ code: string; line?: number; file: string }>;
    expect(diagnostics.filter((d) => d.code.startsWith('observed'))).toEqual([
      expect.objectContaining({ code: 'observed-unknown-test', line: 5, file: path.join(sample, 'lab.csv') }),
    ]);
  });

  it('writes the records into api/ and the links as tier 1', () => {
    const test = JSON.parse(readFileSync(path.join(out, 'api', 'tests', `${T1049_1}.json`), 'utf8'));
    expect(test.observed).toEqual([
      { rule: NET, date: '2026-11-20', source: 'lab <b>one</b>' },
      // The yml/ folder is named by the folder holding it.
      { rule: LINUX_RULE, source: 'sample' },
    ]);
    const links = JSON.parse(readFileSync(path.join(out, 'api', 'links.json'), 'utf8'));
    expect(links.tests.find((l: { rule: string; test: string }) => l.rule === NET && l.test === T1049_1)).toMatchObject({
      tier: 1,
      basis: ['observed', 'test-reference', 'predicted', 'shared-tag'],
    });
    // Observed outranks the platform: a Linux rule seen firing on a Windows test is tier 1, not "other platform".
    expect(links.tests.find((l: { rule: string; test: string }) => l.rule === LINUX_RULE && l.test === T1049_1)).toMatchObject({ tier: 1 });
  });

  it('shows observed firing with date and source above the predictions, and where they differ', () => {
    const page = text(`/tests/${T1049_1}/`);
    expect(page).toContain('Observed firing (2)');
    expect(page).toContain('observed Network Connections Discovery Via Net.EXE Or Netstat.EXE 2026-11-20 · lab <b>one</b>');
    expect(readFileSync(path.join(out, 'tests', T1049_1, 'index.html'), 'utf8')).not.toContain('<b>one</b>');
    expect(page.indexOf('Observed firing')).toBeLessThan(page.indexOf('Predicted to fire'));
    expect(page).toContain('Observed, not predicted System Network Connections Discovery - Linux');
    expect(text(`/tests/${T1049_LINUX}/`)).toContain('The test was run and no rule fired.');
    expect(text(`/tests/${T1049_LINUX}/`)).toMatch(/Predicted, not observed \S/);
  });

  it('lists on the rule page the tests it was observed on', () => {
    expect(text(`/rules/${NET}/`)).toMatch(/observed T1049 #1 System Network Connections Discovery observed firing 2026-11-20 · lab <b>one<\/b>/);
  });

  it('reports recall and precision on the calibration page', () => {
    const page = text('/calibration/');
    expect(page).toContain('Over the 3 Atomic tests with run records (4 records from 2 files)');
    expect(page).toMatch(/All tests with records .* all 3 \d+ \d+ \d+ [\d.]+ % [\d.]+ %/);
    expect(page).toContain('By executor');
    expect(page).toContain('windows/process_creation');
  });
});
