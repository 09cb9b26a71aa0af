/**
 * `atlas` command line: parse flags, run the pipeline (src/lib/pipeline.ts wires every stage),
 * print the summary. Sets an exit code instead of exiting, so output is flushed and the caller decides.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, resolveOptions, type BuildOptions } from '../src/lib/config.ts';
import type { Catalog } from '../src/lib/catalog/types.ts';
import { DEFAULT_PREVIOUS_LIMITS, PreviousBuildError } from '../src/lib/changes/previous.ts';
import { PayloadError } from '../src/lib/simulate/payload-store.ts';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../src/lib/inputs/check.ts';
import { OutputError } from '../src/lib/output/guard.ts';
import { toolPackage } from '../src/lib/package-root.ts';
import { boundHeap, HEAP_HEADROOM } from './heap-bound.ts';
import { runBuild, type PipelineOptions, type RenderSite, type Timings } from '../src/lib/pipeline.ts';
import { BASE_ENV, baseProblem } from '../src/lib/site/urls.ts';

const VERSION = toolPackage().version;

const USAGE = `Usage: atlas <build|catalog> [options]

  build      build the site and its JSON API into --out
  catalog    write only the JSON API (DIR/api) and the catalog
  payloads fetch --atomics DIR --out DIR
             download the text files the tests fetch at run time into a payload store for
             --payloads (the only command that uses the network)

Options:
  --sigma DIR      Sigma rule root (repeatable; default: rules)
  --atomics DIR    Atomic Red Team atomics folder (default: atomics, when --sigma is not given)
  --attack FILE    ATT&CK STIX 2.1 bundle (optional)
  --attack-version V  the bundle's ATT&CK version (e.g. 18.1) when it does not state it
                   (no x-mitre-collection object); shown in provenance and "not in ATT&CK vV"
  --out DIR        output folder (default: dist): new, empty, or made by an earlier atlas build
  --title TEXT     site title
  --repo-url URL   repository URL for "view source" links
  --repo-ref REF   branch or commit for "view source" links (default: main)
  --config FILE    config file (default: ./atlas.config.json when present)
  --strict         exit with code 1 when there are diagnostics
  --payloads DIR   scripts and files tests load at run time (index.json + files, read
                   offline) for predicted detections; see \`atlas payloads fetch\`
  --previous DIR   the previous build's api/ folder, or its URL: writes api/changes.json and
                   the Atom feed api/changes.xml, listing what changed since
  --site-url URL   the published site's address, for absolute links in the feed and layers
  --cache DIR      incremental cache folder (default: .cache/atlas)
  --no-cache       read and model every file, keep no cache
  --no-git         no dates from git history (use the rules' date/modified)
  --observed PATH  observed-run records: a .csv/.json file, a sigma_redcanaryco yml/ folder,
                   or a folder of them (repeatable)
  --allow-empty    publish even when no rule is found (else exit 2)
  --previous-connect-timeout S   seconds to wait for the --previous server (default 10)
  --previous-timeout S           seconds for the whole --previous download (default 60)
  --previous-max-mb N            size limit of the --previous download and of its gunzipped JSON (default 512)
  --debug          print the stack of an internal error
  -h, --help       this help

Exit codes: 0 ok, 1 --strict and diagnostics, 2 usage or input error (nothing published),
3 internal error.
`;

export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    return await run(argv);
  } catch (error) {
    if (error instanceof InputError || error instanceof OutputError || error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    if (error instanceof PreviousBuildError) {
      console.error(`--previous: ${error.message}`);
      return 2;
    }
    if (error instanceof PayloadError) {
      console.error(`--payloads: ${error.message}`);
      return 2;
    }
    const message = (error as Error)?.message ?? String(error);
    console.error(debug ? ((error as Error)?.stack ?? message) : `internal error: ${message.split('\n')[0]} (run with --debug for the stack)`);
    return 3;
  }
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        sigma: { type: 'string', multiple: true },
        atomics: { type: 'string' },
        attack: { type: 'string' },
        'attack-version': { type: 'string' },
        out: { type: 'string' },
        title: { type: 'string' },
        'repo-url': { type: 'string' },
        'repo-ref': { type: 'string' },
        config: { type: 'string' },
        strict: { type: 'boolean' },
        payloads: { type: 'string' },
        previous: { type: 'string' },
        'site-url': { type: 'string' },
        cache: { type: 'string' },
        'no-cache': { type: 'boolean' },
        'no-git': { type: 'boolean' },
        observed: { type: 'string', multiple: true },
        'allow-empty': { type: 'boolean' },
        'previous-connect-timeout': { type: 'string' },
        'previous-timeout': { type: 'string' },
        'previous-max-mb': { type: 'string' },
        debug: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0] ?? 'build';
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (command === 'payloads') return payloadsCommand(positionals.slice(1), values.atomics, values.out);
  if (!['build', 'catalog'].includes(command)) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  if (positionals.length > 1) {
    console.error(`Unexpected argument "${positionals[1]}" (flags take the form --name value).\n\n${USAGE}`);
    return 2;
  }
  let options: BuildOptions;
  try {
    options = resolveOptions(
      {
        sigma: values.sigma,
        atomics: values.atomics,
        attack: values.attack,
        out: values.out,
        title: values.title,
        repositoryUrl: values['repo-url'],
        repositoryRef: values['repo-ref'],
        strict: values.strict,
        payloads: values.payloads,
        config: values.config,
        observed: values.observed,
      },
      process.cwd(),
    );
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  // The deployment base comes from the environment (read by astro.config.mjs and site/urls.ts): refused here, before any work.
  const badBase = command === 'build' ? baseProblem(process.env[BASE_ENV]) : undefined;
  if (badBase) {
    console.error(badBase);
    return 2;
  }
  if (values['attack-version'] !== undefined && !/^\d+(\.\d+)*$/.test(values['attack-version'])) {
    console.error(`--attack-version: "${values['attack-version']}" is not a version like 18.1`);
    return 2;
  }
  if (values['site-url'] !== undefined && !/^https?:\/\/[^/]/i.test(values['site-url'])) {
    console.error(`--site-url: "${values['site-url']}" is not an http(s) URL`);
    return 2;
  }
  const build: Build = {
    ...options,
    cache: values['no-cache'] ? undefined : (values.cache ?? path.join('.cache', 'atlas')),
    gitDates: !values['no-git'],
    previous: values.previous,
    previousLimits: {
      connectMs: positive(values['previous-connect-timeout'], '--previous-connect-timeout', DEFAULT_PREVIOUS_LIMITS.connectMs / 1000) * 1000,
      totalMs: positive(values['previous-timeout'], '--previous-timeout', DEFAULT_PREVIOUS_LIMITS.totalMs / 1000) * 1000,
      maxBytes: positive(values['previous-max-mb'], '--previous-max-mb', DEFAULT_PREVIOUS_LIMITS.maxBytes / 1048576) * 1048576,
    },
    siteUrl: values['site-url'],
    attackVersion: values['attack-version'],
    allowEmpty: values['allow-empty'] ?? false,
  };
  return produce(command as 'build' | 'catalog', build);
}

/** A positive number flag (seconds, megabytes), or its default. */
function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0)) throw new InputError(`${flag}: "${value}" is not a positive number`);
  return n;
}

async function payloadsCommand(args: string[], atomics: string | undefined, out: string | undefined): Promise<number> {
  if (args[0] !== 'fetch' || !atomics || !out) {
    console.error(`Usage: atlas payloads fetch --atomics DIR --out DIR\n\n${USAGE}`);
    return 2;
  }
  const { fetchPayloads } = await import('../src/lib/payloads/fetch.ts');
  const r = await fetchPayloads({ atomics: path.resolve(atomics), out: path.resolve(out), log });
  log(`payloads ${r.urls} URLs: ${r.stored} stored, ${r.skipped} skipped, ${r.unresolved} unresolved (see ${path.join(out, 'index.json')})`);
  return 0;
}

/** What one run does: the resolved options and the flags that only the command line sets. */
type Build = BuildOptions & PipelineOptions & { siteUrl?: string; allowEmpty: boolean };

const log = (line: string) => console.log(line);
const timings: Timings = {};

/**
 * The pages, by scripts/site.ts, loaded only for `atlas build` (Astro is a large import); with a
 * build cache, pages whose data did not change are taken from its page cache (`<cache>/pages.pack`).
 */
function siteRenderer(cache: string | undefined): RenderSite {
  return async (catalogFile, outDir, progress, alongside) => {
    const { buildSite } = await import('./site.ts');
    return buildSite({ catalogFile, outDir, log: progress, cache, alongside });
  };
}

async function produce(command: 'build' | 'catalog', options: Build): Promise<number> {
  const start = performance.now();
  // Node and tsx start-up and the CLI's imports, before any stage (for the bench's "rest").
  timings.startup = process.uptime();
  const heap = boundHeap();
  let catalog: Catalog;
  try {
    catalog = await runBuild({ ...options, version: VERSION, ...(command === 'build' ? { renderSite: siteRenderer(options.cache) } : {}) }, log, timings);
  } finally {
    const { collections, seconds } = heap.stop();
    timings.heapCollections = seconds;
    if (collections)
      log(
        `memory   ${collections} full collection${collections === 1 ? '' : 's'} forced (${seconds.toFixed(2)} s): the heap is collected whenever it grows ${HEAP_HEADROOM / 1048576} MiB`,
      );
  }
  return finish(catalog, options, start);
}

async function finish(catalog: Catalog, options: BuildOptions, start: number): Promise<number> {
  const d = catalog.diagnostics;
  const errors = d.filter((x) => x.severity === 'error').length;
  const byCode = Object.entries(catalog.stats.diagnosticsByCode)
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');
  timings.total = (performance.now() - start) / 1000;
  await writeReport();
  log(
    `done     ${catalog.rules.length} rules, ${d.length} diagnostics (${errors} errors, ${d.length - errors} warnings${byCode ? `: ${byCode}` : ''}) in ${timings.total.toFixed(2)} s`,
  );
  if (options.strict && d.length > 0) {
    console.error(`--strict: failing because of ${d.length} diagnostics (see ${path.join(options.out, 'api', 'diagnostics.json')})`);
    return 1;
  }
  return 0;
}

/**
 * For `npm run bench`: stage timings, this process's peak resident memory, and the CPU seconds it
 * and its finished child processes (Pagefind's) used: steadier than wall time on a shared machine.
 */
async function writeReport(): Promise<void> {
  const file = process.env.ATLAS_REPORT;
  if (!file) return;
  await pagefindGone();
  const usage = process.resourceUsage();
  // System time apart: file creation in the kernel is most of it, and varies most between machines and runs.
  const cpuSeconds = { self: (usage.userCPUTime + usage.systemCPUTime) / 1e6, system: usage.systemCPUTime / 1e6, children: childCpuSeconds() };
  writeFileSync(file, JSON.stringify({ stages: timings, maxRssBytes: usage.maxRSS * 1024, cpuSeconds }));
}

/**
 * Waits (up to 2 s) until Pagefind's process, told to close, has exited and been waited for: only
 * then does its CPU time count among the children's. Linux /proc; elsewhere it returns at once.
 */
async function pagefindGone(): Promise<void> {
  const running = () => {
    try {
      const tasks = readdirSync('/proc/self/task');
      const children = tasks.flatMap((task) => readFileSync(`/proc/self/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
      return children.some((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('pagefind'));
    } catch {
      return false;
    }
  };
  for (let waited = 0; running() && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** User and system time of the child processes waited for (Linux /proc; fields 16 and 17 of stat, in clock ticks of 1/100 s). */
function childCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ').pop()!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}
