import { globSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Test projects. `npm test` runs the quick ones (unit, fixture-site); `npm run test:full` the slow
 * ones (corpus, browser, builds, package). `npx vitest run tests/<folder>` runs the files named,
 * whatever their project; a project's globalSetup runs only when one of its files does.
 */
const fixtureSite = './tests/setup/fixture-site.ts';
/** Test files that read the full corpus in ../shared/corpus. */
const corpus = ['tests/corpus/**/*.test.ts', 'tests/predict/corpus.test.ts', 'tests/atomic/corpus.test.ts', 'tests/sigma/corpus-conditions.test.ts'];
/** Test files that run Astro builds of this project (they share its .astro folder: one at a time). */
const builds = [
  'tests/full/**/*.test.ts',
  'tests/hostile/site.test.ts',
  'tests/observed/cli.test.ts',
  'tests/safety/site-build.test.ts',
  'tests/site/incremental-build.test.ts',
  'tests/site/render-failure.test.ts',
  'tests/site/base-path.test.ts',
];
/** Fault injection: dozens of killed CLI runs (slow, so with the full tests). */
const faults = ['tests/safety/publish-faults.test.ts'];
const browser = ['tests/browser/**/*.test.ts'];
const packaging = ['tests/package/**/*.test.ts'];
/** The other test files that read the fixture site (they call fixtureSite()): found, so new ones join by themselves. */
const fixture = globSync('tests/**/*.test.ts', { cwd: import.meta.dirname, exclude: [...corpus, ...builds, ...browser, ...packaging, ...faults] })
  .filter((file) => readFileSync(path.join(import.meta.dirname, file), 'utf8').includes('fixtureSite('))
  .sort();

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // No performance hints after the summary: `npm test` ends with vitest's summary line.
    experimental: { diagnostics: false },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...corpus, ...builds, ...browser, ...packaging, ...faults, ...fixture] },
      },
      { extends: true, test: { name: 'fixture-site', include: fixture, globalSetup: [fixtureSite] } },
      { extends: true, test: { name: 'corpus', include: corpus } },
      { extends: true, test: { name: 'browser', include: browser, globalSetup: [fixtureSite] } },
      { extends: true, test: { name: 'builds', include: builds, globalSetup: [fixtureSite], fileParallelism: false, hookTimeout: 900_000 } },
      { extends: true, test: { name: 'faults', include: faults } },
      { extends: true, test: { name: 'package', include: packaging, hookTimeout: 900_000 } },
    ],
  },
});
