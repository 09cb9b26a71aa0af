/**
 * The `atlas catalog` command over the hostile corpus, as a contributor's CI would run it: it
 * finishes, `--strict` fails the build on diagnostics and its absence does not, nothing is
 * written outside the output and cache folders, and cold, cached and uncached runs write the
 * same bytes.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeSyntheticCorpus } from '../../scripts/synthetic-corpus.ts';
import { removeCorpora, writeHostileCorpus, type HostileCorpus } from './corpus.ts';
import { filesUnder, projectRoot, treeHashes } from './run.ts';

const CLI_MS = 120_000;

let corpus: HostileCorpus;
let before: string[];
const runs: Record<'strict' | 'cached' | 'uncached', SpawnSyncReturns<string>> = {} as never;

function atlas(out: string, ...flags: string[]): SpawnSyncReturns<string> {
  // Run from the corpus folder, so the default cache (.cache/atlas) lands there too.
  return spawnSync(
    process.execPath,
    [path.join(projectRoot, 'scripts/atlas.mjs'), 'catalog', '--sigma', 'sigma', '--atomics', 'atomics', '--attack', 'attack.json', '--out', out, ...flags],
    { cwd: corpus.root, encoding: 'utf8', timeout: CLI_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
  );
}

beforeAll(() => {
  corpus = writeHostileCorpus();
  before = filesUnder(corpus.root);
  runs.strict = atlas('out-strict', '--strict'); // cold cache
  runs.cached = atlas('out-cached'); // warm cache
  runs.uncached = atlas('out-uncached', '--no-cache');
}, 3 * CLI_MS);

afterAll(removeCorpora);

describe('atlas catalog over the hostile corpus', { timeout: CLI_MS }, () => {
  test('every run finishes (none is killed by the time bound)', () => {
    for (const [name, run] of Object.entries(runs)) expect(run.signal, `${name}: ${run.stderr}`).toBeNull();
  });

  test('--strict exits 1 and says why; without it the build succeeds', () => {
    expect(runs.strict.status, runs.strict.stderr).toBe(1);
    expect(runs.strict.stderr).toMatch(/--strict: failing because of \d+ diagnostics/);
    expect(runs.cached.status, runs.cached.stderr).toBe(0);
    expect(runs.uncached.status, runs.uncached.stderr).toBe(0);
    expect(runs.cached.stdout).toMatch(/^done +\d+ rules, \d+ diagnostics \(\d+ errors, \d+ warnings: .*yaml-size/m);
  });

  test('the diagnostics file names every rejected file', () => {
    const diagnostics = JSON.parse(readFileSync(path.join(corpus.root, 'out-cached/api/diagnostics.json'), 'utf8')) as { file: string }[];
    const files = new Set(diagnostics.map((d) => d.file));
    const missing = corpus.expectations.filter((e) => e.outcome === 'rejected' && !files.has(path.join('sigma', e.file)));
    expect(missing).toEqual([]);
  });

  test('nothing is written outside the output and cache folders', () => {
    const added = filesUnder(corpus.root).filter((f) => !before.includes(f));
    expect(added.filter((f) => !/^(out-strict|out-cached|out-uncached|\.cache)\//.test(f))).toEqual([]);
  });

  test('cold, cached and uncached runs write byte-identical output', () => {
    const strict = treeHashes(path.join(corpus.root, 'out-strict'));
    expect(Object.keys(strict).length).toBeGreaterThan(50);
    expect(treeHashes(path.join(corpus.root, 'out-cached'))).toEqual(strict);
    expect(treeHashes(path.join(corpus.root, 'out-uncached'))).toEqual(strict);
  });
});

describe('a corpus larger than the file-descriptor limit', { timeout: CLI_MS }, () => {
  test('every file is read and every API file written under `ulimit -n 256`', () => {
    const dir = path.join(writeHostileCorpus().root, 'many');
    writeSyntheticCorpus(path.join(dir, 'sigma'), 1_500);
    const script = `ulimit -n 256 && exec "$0" "$1" catalog --sigma sigma --out out --no-cache --no-git`;
    const run = spawnSync('sh', ['-c', script, process.execPath, path.join(projectRoot, 'scripts/atlas.mjs')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: CLI_MS,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr.slice(0, 2000)).toBe(0);
    expect(run.stdout).toMatch(/^sigma +1500 files \(0 cached, 1500 read\)/m);
    const diagnostics = JSON.parse(readFileSync(path.join(dir, 'out/api/diagnostics.json'), 'utf8')) as { code: string }[];
    expect(diagnostics.filter((d) => d.code === 'unreadable')).toEqual([]);
    expect(filesUnder(path.join(dir, 'out/api/rules'))).toHaveLength(1_500);
  });
});
