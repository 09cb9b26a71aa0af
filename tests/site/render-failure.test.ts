/**
 * A page that throws while Astro renders (scripts/render-guard.ts), in a real build of the fixture
 * catalog with one rule's data damaged (tests/site/render-failure-build.ts, its own process): the
 * build fails with that page's error, named once with its page, and nothing after it — no page
 * rendered without the environment ("ATLAS_CATALOG is not set"), no unhandled rejection, no
 * output, no render folder left, the environment restored. With a page cache, the pages Astro
 * copies from it no longer race the removal of the render folder (which reported ENOTEMPTY
 * instead of the page's error and left the folder).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../safety/helpers.ts';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

interface Report {
  error?: string;
  slug: string;
  unhandled: string[];
  env: { ATLAS_CATALOG?: string; ATLAS_BASE?: string };
  outExists: boolean;
  renderFolders: string[];
}

function failingBuild(cache: boolean): { report: Report; output: string } {
  const work = mkdtempSync(path.join(os.tmpdir(), 'atlas-render-failure-'));
  made.push(work);
  const script = path.join(projectRoot, 'tests/site/render-failure-build.ts');
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, work, ...(cache ? ['--cache'] : [])], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'ATLAS_CATALOG' && key !== 'ATLAS_BASE')),
  });
  const output = run.stdout + run.stderr;
  expect(run.status, output).toBe(0);
  const line = run.stdout.split('\n').find((l) => l.startsWith('REPORT '));
  expect(line, output).toBeDefined();
  return { report: JSON.parse(line!.slice('REPORT '.length)) as Report, output };
}

describe('a page that fails to render', { timeout: 300_000 }, () => {
  for (const cache of [false, true]) {
    test(`fails the build with its own error, once, and leaves nothing behind${cache ? ' (with a page cache)' : ''}`, () => {
      const { report, output } = failingBuild(cache);
      expect(report.error).toBe(`page /rules/${report.slug}/ (src/pages/rules/[slug].astro) failed to render: references.map is not a function`);
      expect(output).not.toContain('ATLAS_CATALOG is not set');
      expect(output).not.toContain('Caught error rendering');
      // Astro's own log of the page's error, once (the REPORT line aside).
      const log = output.split('\n').filter((l) => !l.startsWith('REPORT '));
      expect(log.filter((l) => l.includes('references.map is not a function'))).toHaveLength(1);
      expect(report.unhandled).toEqual([]);
      expect(report.env).toEqual({});
      expect(report.outExists).toBe(false);
      expect(report.renderFolders).toEqual([]);
    });
  }
});
