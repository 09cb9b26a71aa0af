/**
 * `npm run bench`: speed and memory on the full corpus in ../shared/corpus. Each measurement runs
 * the real `atlas` command in a fresh process, reads its own stage timings and peak RSS, prints a
 * table and writes bench-results/bench.json. `catalog` and `site` are cold (no cache);
 * `incremental` measures the cache: cold, warm with no change, and one rule changed (in a copy of
 * the corpus's Sigma folder, so ../shared is never modified). `scaling` runs synthetic corpora of
 * 5k, 20k and 50k rules to show how time and memory grow. `regeneration` runs the whole
 * `atlas build` cold, after a one-rule commit and after a commit outside the rules (the corpus copy is a git repository). `npm run bench -- incremental` runs one of them.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticCorpus } from './synthetic-corpus.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus');
const atlas = path.join(root, 'scripts', 'atlas.mjs');

interface RunReport {
  wallSeconds: number;
  stages: Record<string, number>;
  maxRssMiB: number;
  /** CPU seconds of atlas, and of its finished child processes (Pagefind); children undefined off Linux. */
  cpuSeconds?: { self: number; system?: number; children?: number };
  stdout: string;
}

/** Runs `atlas` with a report file; the CLI writes stage timings and its peak RSS there. */
function runAtlas(args: string[]): RunReport {
  const reportDir = mkdtempSync(path.join(tmpdir(), 'atlas-bench-'));
  const report = path.join(reportDir, 'report.json');
  try {
    const start = performance.now();
    const result = spawnSync(process.execPath, [atlas, ...args], {
      cwd: root,
      env: { ...process.env, ATLAS_REPORT: report },
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallSeconds = (performance.now() - start) / 1000;
    if (result.status !== 0) throw new Error(`atlas ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
    const { stages, maxRssBytes, cpuSeconds } = JSON.parse(readFileSync(report, 'utf8'));
    return { wallSeconds, stages, maxRssMiB: maxRssBytes / 1024 / 1024, cpuSeconds, stdout: result.stdout };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
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
  '--sigma',
  path.join(corpus, 'sigma'),
  '--atomics',
  path.join(corpus, 'atomic-red-team', 'atomics'),
  '--attack',
  path.join(corpus, 'attack', 'enterprise-attack.json'),
  '--payloads',
  path.join(corpus, 'payloads'),
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
    const runs = [0, 1, 2].map(() => runAtlas(['catalog', ...corpusArgs, '--out', out, '--no-cache']));
    const best = runs.reduce((a, b) => (a.stages.total <= b.stages.total ? a : b));
    results.catalog = { runs: runs.length, best, stageSeconds: best.stages };
    console.log(
      `catalog  best of ${runs.length}: catalog stages ${best.stages.catalogTotal.toFixed(2)} s, process ${best.wallSeconds.toFixed(2)} s wall, peak RSS ${best.maxRssMiB.toFixed(0)} MiB`,
    );
    console.log(
      `         stages: ${Object.entries(best.stages)
        .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
        .join(', ')}`,
    );
  }

  if (want('site')) {
    rmSync(out, { recursive: true, force: true });
    const run = runAtlas(['build', ...corpusArgs, '--out', out, '--no-cache']);
    const size = dirSize(out);
    const pagefind = path.join(out, 'pagefind');
    const search = existsSync(pagefind) ? dirSize(pagefind) : { bytes: 0, files: 0 };
    const rulePages = path.join(out, 'rules');
    const ruleSizes = existsSync(rulePages)
      ? readdirSync(rulePages)
          .map((d) => path.join(rulePages, d, 'index.html'))
          .filter(existsSync)
          .map((f) => statSync(f).size)
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
      pageSizes: pageSizes(out),
    };
    results.site = site;
    console.log(
      `site     cold build ${site.wallSeconds.toFixed(1)} s wall, peak RSS ${site.maxRssMiB.toFixed(0)} MiB, ${site.pages} pages, ${site.outputMiB.toFixed(1)} MiB output (${site.outputFiles} files), search index ${site.searchIndexMiB.toFixed(1)} MiB`,
    );
    if (site.rulePageKiB) console.log(`         rule page HTML: median ${site.rulePageKiB.median.toFixed(1)} KiB, max ${site.rulePageKiB.max.toFixed(1)} KiB`);
    const ps = site.pageSizes;
    console.log(
      `         page HTML: median ${ps.medianKiB.toFixed(1)} KiB, max ${ps.maxKiB.toFixed(1)} KiB (${ps.largest}); over 50 KB ${ps.over50k}, 100 KB ${ps.over100k}, 200 KB ${ps.over200k}, 500 KB ${ps.over500k}`,
    );
    console.log(
      `         stages: ${Object.entries(run.stages)
        .map(([k, v]) => `${k} ${v.toFixed(2)} s`)
        .join(', ')}`,
    );
  }

  if (want('incremental')) results.incremental = incremental(out);
  if (want('regeneration')) results.regeneration = regeneration();
  if (want('scaling')) results.scaling = scaling(out);

  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(root, 'bench-results'), { recursive: true });
  const file = path.join(root, 'bench-results', 'bench.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written  ${path.relative(root, file)}`);
}

/** Cold, warm (no change) and one-rule-changed builds against one cache folder; best of three for the last two. */
function incremental(out: string) {
  const work = mkdtempSync(path.join(tmpdir(), 'atlas-bench-incremental-'));
  const sigma = path.join(work, 'sigma');
  cpSync(path.join(corpus, 'sigma'), sigma, { recursive: true });
  const args = ['catalog', '--sigma', sigma, ...corpusArgs.slice(2), '--out', out, '--cache', path.join(work, 'cache')];
  const best = (runs: RunReport[]) => runs.reduce((a, b) => (a.stages.catalogTotal <= b.stages.catalogTotal ? a : b));
  const rules = readdirSync(path.join(sigma, 'rules'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  const edited = path.join(sigma, 'rules', rules[Math.floor(rules.length / 2)]);
  const original = readFileSync(edited, 'utf8');
  try {
    const cold = runAtlas(args);
    const warm = best([0, 1, 2].map(() => runAtlas(args)));
    const changed = best(
      [1, 2, 3].map((n) => {
        writeFileSync(edited, original.replace(/^title: (.*)$/m, `title: $1 (bench edit ${n})`));
        return runAtlas(args);
      }),
    );
    const figures = { cold: cold.stages, warm: warm.stages, oneRuleChanged: changed.stages, editedRule: path.relative(sigma, edited) };
    const line = (name: string, s: Record<string, number>) =>
      `${name.padEnd(17)} catalog stages ${s.catalogTotal.toFixed(2)} s (sigma ${s.sigma.toFixed(2)}, atomics ${s.atomics.toFixed(2)}, rules ${s.rules.toFixed(2)}, catalog ${s.catalog.toFixed(2)}), cache write ${(s.cache ?? 0).toFixed(2)} s`;
    console.log(`incremental ${line('cold', cold.stages)}`);
    console.log(`            ${line('warm, no change', warm.stages)}`);
    console.log(`            ${line('one rule changed', changed.stages)}`);
    return figures;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The whole `atlas build` (catalog, site and search) cold, then again after one rule's title
 * changed: with the cache into a new --out (as in a rule repository's CI, which restores the cache
 * and not the output), and with the cache and the previous output in place. Reports the wall times
 * and their ratios to the cold build.
 */
function regeneration() {
  const work = mkdtempSync(path.join(tmpdir(), 'atlas-bench-regeneration-'));
  const sigma = path.join(work, 'sigma');
  cpSync(path.join(corpus, 'sigma'), sigma, { recursive: true });
  // A folder of its own: the earlier sections' output is deleted only at the end, not before the cold build.
  const out = path.join(work, 'out');
  const args = ['build', '--sigma', sigma, ...corpusArgs.slice(2), '--out', out, '--cache', path.join(work, 'cache')];
  const rules = readdirSync(path.join(sigma, 'rules'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.yml'))
    .sort();
  const edited = path.join(sigma, 'rules', rules[Math.floor(rules.length / 2)]);
  // A rule repository's commits, as in its CI: each build names another commit in every page's
  // footer, so the pages taken from the page cache are given the new one (scripts/page-store.ts).
  const commit = (message: string) => git(sigma, ['add', '-A'], ['commit', '-q', '-m', message]);
  const freshOut = path.join(work, 'out-fresh');
  const unchangedOut = path.join(work, 'out-unchanged');
  try {
    git(sigma, ['init', '-q']);
    commit('corpus');
    const cold = runAtlas(args);
    // As in CI, where the cache is restored and the output folder is not: a rule changed, a new --out
    // (no previous output to move aside and delete). Timed before the same-out rebuild, and its output
    // removed only at the end: no timed build follows the deletion of a full site's 37k files, after
    // which creating files costs several times the kernel time on ext4 (docs/architecture.md, Speed).
    const second = path.join(sigma, 'rules', rules[Math.floor(rules.length / 3)]);
    writeFileSync(second, readFileSync(second, 'utf8').replace(/^title: (.*)$/m, 'title: $1 (bench edit)'));
    commit('another rule edited');
    const withOut = (dir: string) => [...args.slice(0, args.indexOf('--out')), '--out', dir, ...args.slice(args.indexOf('--out') + 2)];
    const changedFresh = runAtlas(withOut(freshOut));
    // A commit outside the rules (CI config, docs): only the footer's commit changes, the search bundle is taken whole.
    git(sigma, ['commit', '-q', '--allow-empty', '-m', 'a commit outside the rules']);
    const unchanged = runAtlas(withOut(unchangedOut));
    writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^title: (.*)$/m, 'title: $1 (bench edit)'));
    commit('one rule edited');
    // The cold build's output is moved aside and left to a detached remover (src/lib/output/trash.ts) as this build ends.
    const changed = runAtlas(args);
    const ratio = changed.wallSeconds / cold.wallSeconds;
    waitForTrash(path.dirname(out));
    const ratioFreshOut = changedFresh.wallSeconds / cold.wallSeconds;
    const reuse = /(\d+) of (\d+) keyed pages taken/.exec(changed.stdout);
    const pagesReused = reuse ? { reused: Number(reuse[1]), keyed: Number(reuse[2]) } : undefined;
    console.log(
      `regeneration cold build ${cold.wallSeconds.toFixed(1)} s wall (site ${(cold.stages.site ?? 0).toFixed(1)} s), peak RSS ${cold.maxRssMiB.toFixed(0)} MiB`,
    );
    console.log(
      `             one rule changed ${changed.wallSeconds.toFixed(1)} s wall (site ${(changed.stages.site ?? 0).toFixed(1)} s), peak RSS ${changed.maxRssMiB.toFixed(0)} MiB`,
    );
    console.log(`             ratio ${(ratio * 100).toFixed(0)}% of cold (site and search included)`);
    console.log(
      `             one rule changed, new --out (CI) ${changedFresh.wallSeconds.toFixed(1)} s wall, ratio ${(ratioFreshOut * 100).toFixed(0)}% of cold, peak RSS ${changedFresh.maxRssMiB.toFixed(0)} MiB`,
    );
    const ratioUnchanged = unchanged.wallSeconds / cold.wallSeconds;
    console.log(
      `             a commit outside the rules, new --out (CI) ${unchanged.wallSeconds.toFixed(1)} s wall, ratio ${(ratioUnchanged * 100).toFixed(0)}% of cold, peak RSS ${unchanged.maxRssMiB.toFixed(0)} MiB`,
    );
    for (const [name, run] of [
      ['cold', cold],
      ['one rule changed', changed],
      ['one rule changed, new --out', changedFresh],
      ['a commit outside the rules, new --out', unchanged],
    ] as const) {
      const s = run.stages;
      const catalogStages = s.catalogTotal ?? 0;
      const other = run.wallSeconds - catalogStages - (s.predict ?? 0) - (s.site ?? 0);
      console.log(
        `             ${name}: catalog stages ${catalogStages.toFixed(1)} s, predict ${(s.predict ?? 0).toFixed(1)} s, Astro (Pagefind parsing beside it) ${(s.siteRender ?? s.site ?? 0).toFixed(1)} s, Pagefind after the render ${(s.siteSearch ?? 0).toFixed(1)} s, the rest ${other.toFixed(1)} s (${rest(s)})`,
      );
    }
    if (pagesReused) console.log(`             pages taken from the page cache: ${pagesReused.reused} of ${pagesReused.keyed} keyed`);
    // Wall time swings by ±10 s from run to run on a shared 2-core machine; CPU time less. Kernel time
    // swings most: on ext4, creating files soon after tens of thousands were deleted (the bench's own
    // outputs) costs up to 10× the CPU (the inode allocator's recently_deleted checks, seen with perf).
    // A build of ≈37k files on tmpfs takes ≈10 s less than on this machine's disk.
    console.log(`             CPU time: ${[cold, changed, changedFresh, unchanged].map(cpu).join('; ')}`);
    const strip = ({ stdout: _, ...run }: RunReport) => run;
    return {
      cold: strip(cold),
      oneRuleChanged: strip(changed),
      ratio,
      oneRuleChangedFreshOut: strip(changedFresh),
      ratioFreshOut,
      outsideRulesFreshOut: strip(unchanged),
      ratioOutsideRules: ratioUnchanged,
      pagesReused,
      editedRules: [path.relative(sigma, edited), path.relative(sigma, second)],
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A run's CPU seconds: atlas, and its finished child processes (Pagefind's; esbuild's service is still running then, and not counted). */
function cpu(run: RunReport): string {
  const c = run.cpuSeconds;
  if (!c) return 'not reported';
  const atlas = `atlas ${c.self.toFixed(1)} s${c.system === undefined ? '' : `, ${c.system.toFixed(1)} s of it in the kernel`}`;
  return c.children === undefined
    ? `${c.self.toFixed(1)} s (${atlas})`
    : `${(c.self + c.children).toFixed(1)} s (${atlas}; Pagefind's process ${c.children.toFixed(1)} s)`;
}

/** Runs git commands in `dir` with a fixed identity, one after the other. */
function git(dir: string, ...commands: string[][]): void {
  for (const command of commands) {
    // No background gc (4k new objects trigger one, which would run beside the timed build), and no user hooks.
    const config = ['user.name=bench', 'user.email=bench@localhost', 'commit.gpgsign=false', 'gc.auto=0', 'maintenance.auto=false', 'core.hooksPath=/dev/null'];
    const result = spawnSync('git', [...config.flatMap((c) => ['-c', c]), ...command], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`git ${command.join(' ')} failed: ${result.stderr}`);
  }
}

/** Waits (up to two minutes, then warns) until no old output (`.atlas-trash-…`) is left in `dir` to be deleted. */
function waitForTrash(dir: string): void {
  const until = Date.now() + 120_000;
  const pending = () => readdirSync(dir).some((name) => name.startsWith('.atlas-trash-'));
  while (pending() && Date.now() < until) spawnSync('sleep', ['0.5']);
  if (pending()) console.warn(`bench: an old output in ${dir} is still being removed; the next build is timed beside it`);
}

/**
 * The timed parts of a build's "rest" (wall time outside the catalog stages, predict and the site):
 * start-up, trust data, the site's data file, cache writes, publish. api/ and the exports run
 * beside Pagefind, inside the site stage, and are listed apart.
 */
function rest(s: Record<string, number>): string {
  const part = (name: string, key: string) => `${name} ${(s[key] ?? 0).toFixed(1)} s`;
  return [
    part('start', 'startup'),
    part('trust', 'trust'),
    part('site data file', 'siteCatalog'),
    `cache writes ${((s.cache ?? 0) + (s.cacheSave ?? 0)).toFixed(1)} s`,
    part('publish', 'publish'),
    `beside Pagefind: api ${(s.api ?? 0).toFixed(1)} s, exports ${(s.exports ?? 0).toFixed(1)} s`,
  ].join(', ');
}

/** Size distribution of the HTML pages of a built site. */
function pageSizes(dir: string) {
  const sizes = readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.html'))
    .map((e) => ({ file: path.relative(dir, path.join(e.parentPath, e.name)), bytes: statSync(path.join(e.parentPath, e.name)).size }))
    .sort((a, b) => b.bytes - a.bytes);
  const over = (n: number) => sizes.filter((s) => s.bytes > n).length;
  return {
    medianKiB: median(sizes.map((s) => s.bytes)) / 1024,
    maxKiB: (sizes[0]?.bytes ?? 0) / 1024,
    largest: sizes[0]?.file ?? '',
    over50k: over(50_000),
    over100k: over(100_000),
    over200k: over(200_000),
    over500k: over(500_000),
  };
}

/**
 * How time and memory grow with the corpus: synthetic Sigma corpora of 5k, 20k and 50k rules
 * (scripts/synthetic-corpus.ts) with the real Atomic and ATT&CK data, one cold `atlas catalog`
 * each. `catalog` is the catalog stages (load → model → catalog); predicted evaluation and the
 * api/ files follow in the same process and count in its wall time and peak RSS.
 */
function scaling(out: string) {
  const work = mkdtempSync(path.join(tmpdir(), 'atlas-bench-scaling-'));
  try {
    return [5_000, 20_000, 50_000].map((rules) => {
      const sigma = path.join(work, `sigma-${rules}`);
      writeSyntheticCorpus(sigma, rules);
      rmSync(out, { recursive: true, force: true });
      const run = runAtlas(['catalog', '--sigma', sigma, ...corpusArgs.slice(2), '--out', out, '--no-cache', '--no-git']);
      rmSync(sigma, { recursive: true, force: true });
      const s = run.stages;
      console.log(
        `scaling  ${String(rules).padStart(6)} synthetic rules: catalog stages ${s.catalogTotal.toFixed(2)} s, process ${run.wallSeconds.toFixed(2)} s wall, ` +
          `peak RSS ${run.maxRssMiB.toFixed(0)} MiB (predict ${(s.predict ?? 0).toFixed(2)} s, api ${(s.api ?? 0).toFixed(2)} s)`,
      );
      return { rules, catalogSeconds: s.catalogTotal, wallSeconds: run.wallSeconds, maxRssMiB: run.maxRssMiB, stages: s };
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

main();
