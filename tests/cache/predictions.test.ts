import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { runBuild, runCatalog } from '../../src/lib/pipeline.ts';
import { ATOMICS_FILES, ATOMIC_TESTS, GUID, RULES, makeCorpus, techniqueYaml, type Corpus } from './corpus.ts';

let corpus: Corpus;
let cacheDir: string;
beforeEach(() => {
  corpus = makeCorpus();
  cacheDir = mkdtempSync(path.join(tmpdir(), 'atlas-cache-'));
});
afterEach(() => {
  corpus.remove();
  rmSync(cacheDir, { recursive: true, force: true });
});

/** A build; with the cache, also its `predict` line. */
async function build(cache: string | undefined): Promise<{ catalog: Catalog; predict: string }> {
  const lines: string[] = [];
  const catalog = await runCatalog({ sigma: [corpus.sigma], atomics: corpus.atomics, cache }, (l) => lines.push(l));
  return { catalog, predict: lines.find((l) => l.startsWith('predict')) ?? '' };
}

const predicted = (catalog: Catalog) => catalog.tests.map((t) => [t.guid, t.predicted, t.predictions]);
const ruleA = (catalog: Catalog) => catalog.rules.find((r) => r.id === 'aaaaaaaa-0000-4000-8000-000000000001')!;

describe('predictions with the cache', () => {
  it('work with no rule at all: the tests keep their notes, as without the cache', async () => {
    corpus.remove();
    corpus = makeCorpus({});
    const uncached = JSON.stringify((await build(undefined)).catalog);
    const cold = await build(cacheDir);
    expect(cold.catalog.rules).toHaveLength(0);
    expect(JSON.stringify(cold.catalog)).toBe(uncached);
    expect(JSON.stringify((await build(cacheDir)).catalog)).toBe(uncached);
  });

  it('are evaluated once, then read back, the same as without the cache', async () => {
    const uncached = JSON.stringify((await build(undefined)).catalog);
    const cold = await build(cacheDir);
    expect(cold.predict).toMatch(/evaluated 4 rules and 3 tests not in the cache/);
    const warm = await build(cacheDir);
    expect(warm.predict).toMatch(/evaluated 0 rules and 0 tests not in the cache/);
    expect(JSON.stringify(cold.catalog)).toBe(uncached);
    expect(JSON.stringify(warm.catalog)).toBe(uncached);
    expect(ruleA(warm.catalog).predictedTests).toEqual([GUID.lsass]);
  });

  it('re-evaluate a changed rule alone, and it gets its new predictions', async () => {
    await build(cacheDir);
    // Rule A now looks for comsvcs instead of procdump: it leaves the ProcDump test for the comsvcs one.
    corpus.write('sigma/rules/windows/a.yml', RULES['rules/windows/a.yml'].replace("contains: 'procdump'", "contains: 'comsvcs'"), 1_700_000_400);
    const changed = await build(cacheDir);
    expect(changed.predict).toMatch(/evaluated 1 rule and 0 tests not in the cache/);
    expect(ruleA(changed.catalog).predictedTests).toEqual([GUID.comsvcs]);
    expect(predicted(changed.catalog)).toEqual(predicted((await build(undefined)).catalog));
  });

  it('re-evaluate a changed test against every rule', async () => {
    await build(cacheDir);
    const renamed = ATOMIC_TESTS.ifconfig
      .replace('ifconfig -a', 'procdump -ma lsass.exe x.dmp')
      .replace('- linux', '- windows')
      .replace('name: sh', 'name: command_prompt');
    corpus.write('atomics/T1016/T1016.yaml', techniqueYaml('T1016', 'System Network Configuration Discovery', [renamed]), 1_700_000_400);
    const changed = await build(cacheDir);
    expect(changed.predict).toMatch(/evaluated 0 rules and 1 test not in the cache/);
    expect(ruleA(changed.catalog).predictedTests).toEqual([GUID.ifconfig, GUID.lsass]);
    expect(predicted(changed.catalog)).toEqual(predicted((await build(undefined)).catalog));
    expect(ATOMICS_FILES['T1016/T1016.yaml']).toContain('ifconfig -a');
  });

  it('starts afresh when a payload file changes (every test re-evaluated)', async () => {
    await build(cacheDir);
    corpus.write('atomics/T1003.001/src/helper.ps1', 'Write-Output 1');
    expect((await build(cacheDir)).predict).toMatch(/evaluated 0 rules and 3 tests not in the cache/);
  });
});

describe('a build that fails after predicting', () => {
  it('keeps its predictions in the cache (an unreachable --previous)', async () => {
    const out = path.join(cacheDir, 'out');
    const cache = path.join(cacheDir, 'cache');
    const run = runBuild({ sigma: [corpus.sigma], atomics: corpus.atomics, cache, out, version: 'test', previous: 'http://127.0.0.1:9/' });
    await expect(run).rejects.toThrow();
    expect(existsSync(path.join(cache, 'sigma.v8'))).toBe(true);
    expect(existsSync(path.join(cache, 'predictions.v8'))).toBe(true);
    expect(existsSync(out)).toBe(false);
  });
});
