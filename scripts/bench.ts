/**
 * `npm run bench`: speed and memory on the full corpus in ../shared/corpus. Each measurement runs
 * the real `atlas` command in a fresh process (cold), reads its own stage timings and peak RSS,
 * prints a table and writes bench-results/bench.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus');
const atlas = path.join(root, 'scripts', 'atlas.mjs');

interface RunReport {
  wallSeconds: number;
  stages: Record<string, number>;
  maxRssMiB: number;
}

/** Runs `atlas` with a report file; the CLI writes stage timings and its peak RSS there. */
function runAtlas(args: string[]): RunReport {
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'atlas-bench-')), 'report.json');
  const start = performance.now();
  const result = spawnSync(process.execPath, [atlas, ...args], {
    cwd: root,
    env: { ...process.env, ATLAS_REPORT: report },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallSeconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`atlas ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  const { stages, maxRssBytes } = JSON.parse(readFileSync(report, 'utf8'));
  return { wallSeconds, stages, maxRssMiB: maxRssBytes / 1024 / 1024 };
}

function dirSize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { bytes, files };
}

function countPages(dir: string): number {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.html')).length;
}

const corpusArgs = [
  '--sigma', path.join(corpus, 'sigma'),
  '--atomics', path.join(corpus, 'atomic-red-team', 'atomics'),
  '--attack', path.join(corpus, 'attack', 'enterprise-attack.json'),
];

function main(): void {
  if (!existsSync(corpus)) {
    console.error(`bench needs the full corpus at ${corpus}`);
    process.exitCode = 1;
    return;
  }
  const only = process.argv.slice(2);
  const want = (name: string) => only.length === 0 || only.includes(name);
  const results: Record<string, unknown> = { corpus: path.relative(root, corpus) };
  const out = mkdtempSync(path.join(tmpdir(), 'atlas-bench-out-'));

  if (want('catalog')) {
    const runs = [0, 1, 2].map(() => runAtlas(['catalog', ...corpusArgs, '--out', out]));
    const best = runs.reduce((a, b) => (a.stages.total <= b.stages.total ? a : b));
    results.catalog = { runs: runs.length, best, stageSeconds: best.stages };
    console.log(`catalog  best of ${runs.length}: catalog stages ${best.stages.catalogTotal.toFixed(2)} s, process ${best.wallSeconds.toFixed(2)} s wall, peak RSS ${best.maxRssMiB.toFixed(0)} MiB`);
    console.log(`         stages: ${Object.entries(best.stages).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}`);
  }

  if (want('site')) {
    rmSync(out, { recursive: true, force: true });
    const run = runAtlas(['build', ...corpusArgs, '--out', out]);
    const size = dirSize(out);
    const pagefind = path.join(out, 'pagefind');
    const search = existsSync(pagefind) ? dirSize(pagefind) : { bytes: 0, files: 0 };
    const rulePages = path.join(out, 'rules');
    const ruleSizes = existsSync(rulePages)
      ? readdirSync(rulePages).map((d) => path.join(rulePages, d, 'index.html')).filter(existsSync).map((f) => statSync(f).size)
      : [];
    const site = {
      wallSeconds: run.wallSeconds,
      stages: run.stages,
      maxRssMiB: run.maxRssMiB,
      pages: countPages(out),
      outputMiB: size.bytes / 1024 / 1024,
      outputFiles: size.files,
      searchIndexMiB: search.bytes / 1024 / 1024,
      rulePageKiB: ruleSizes.length ? { median: median(ruleSizes) / 1024, max: Math.max(...ruleSizes) / 1024 } : null,
    };
    results.site = site;
    console.log(`site     cold build ${site.wallSeconds.toFixed(1)} s wall, peak RSS ${site.maxRssMiB.toFixed(0)} MiB, ${site.pages} pages, ${site.outputMiB.toFixed(1)} MiB output (${site.outputFiles} files), search index ${site.searchIndexMiB.toFixed(1)} MiB`);
    if (site.rulePageKiB) console.log(`         rule page HTML: median ${site.rulePageKiB.median.toFixed(1)} KiB, max ${site.rulePageKiB.max.toFixed(1)} KiB`);
    console.log(`         stages: ${Object.entries(run.stages).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}`);
  }

  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  const file = path.join(root, 'bench-results', 'bench.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written  ${path.relative(root, file)}`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main();
