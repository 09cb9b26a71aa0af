/**
 * `atlas` command line: parse flags, then run the stages in order. Sets an exit code instead of
 * exiting, so output is flushed and the caller decides.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, resolveOptions, type BuildOptions } from '../src/lib/config.ts';
import { writeApi, writeCatalogFile } from '../src/lib/catalog/write.ts';
import type { Catalog } from '../src/lib/catalog/types.ts';
import { PreviousBuildError } from '../src/lib/changes/previous.ts';
import { PayloadError } from '../src/lib/evaluate/simulate/payloads.ts';
import { writeExports } from '../src/lib/exports/write.ts';
import { writeFileSync } from 'node:fs';
import { runCatalog, type PipelineOptions, type Timings } from '../src/lib/pipeline.ts';

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
  --out DIR        output folder (default: dist)
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
  -h, --help       this help
`;

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        sigma: { type: 'string', multiple: true },
        atomics: { type: 'string' },
        attack: { type: 'string' },
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
  if (values['site-url'] !== undefined && !/^https?:\/\/[^/]/i.test(values['site-url'])) {
    console.error(`--site-url: "${values['site-url']}" is not an http(s) URL`);
    return 2;
  }
  const build: Build = {
    ...options,
    cache: values['no-cache'] ? undefined : (values.cache ?? path.join('.cache', 'atlas')),
    gitDates: !values['no-git'],
    previous: values.previous,
    siteUrl: values['site-url'],
  };
  try {
    return await (command === 'catalog' ? catalogCommand(build) : buildCommand(build));
  } catch (error) {
    if (error instanceof PreviousBuildError) {
      console.error(`--previous: ${error.message}`);
      return 2;
    }
    if (error instanceof PayloadError) {
      console.error(`--payloads: ${error.message}`);
      return 2;
    }
    throw error;
  }
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
type Build = BuildOptions & PipelineOptions & { siteUrl?: string };

const log = (line: string) => console.log(line);
const timings: Timings = {};

async function catalogCommand(options: Build): Promise<number> {
  const start = performance.now();
  const catalog = await runCatalog(options, log, timings);
  await writeOutputs(catalog, options);
  return finish(catalog, options, start);
}

async function buildCommand(options: Build): Promise<number> {
  const start = performance.now();
  const catalog = await runCatalog(options, log, timings);
  // Astro empties its output folder, so the catalog the pages read lives in a cache folder beside it.
  const catalogFile = path.resolve('.cache', 'atlas', 'catalog.json');
  const catalogJson = await writeCatalogFile(catalog, catalogFile);
  const { buildSite } = await import('./site.ts');
  const t = performance.now();
  const site = await buildSite({ catalogFile, outDir: path.resolve(options.out), log });
  timings.site = (performance.now() - t) / 1000;
  log(`site     ${site.pages} pages (${timings.site.toFixed(2)} s)`);
  await writeOutputs(catalog, options, catalogJson);
  return finish(catalog, options, start);
}

async function writeOutputs(catalog: Catalog, options: Build, catalogJson?: string): Promise<void> {
  let t = performance.now();
  const files = await writeApi(catalog, options.out);
  timings.api = (performance.now() - t) / 1000;
  log(`api      ${files} JSON files in ${path.join(options.out, 'api')} (${timings.api.toFixed(2)} s)`);
  t = performance.now();
  const exports = await writeExports(catalog, options.out, { siteUrl: options.siteUrl, catalogJson });
  timings.exports = (performance.now() - t) / 1000;
  log(`exports  ${exports.join(', ')} (${timings.exports.toFixed(2)} s)`);
}

function finish(catalog: Catalog, options: BuildOptions, start: number): number {
  const d = catalog.diagnostics;
  const errors = d.filter((x) => x.severity === 'error').length;
  const byCode = Object.entries(catalog.stats.diagnosticsByCode).map(([code, n]) => `${code} ${n}`).join(', ');
  timings.total = (performance.now() - start) / 1000;
  writeReport();
  log(`done     ${catalog.rules.length} rules, ${d.length} diagnostics (${errors} errors, ${d.length - errors} warnings${byCode ? `: ${byCode}` : ''}) in ${timings.total.toFixed(2)} s`);
  if (options.strict && d.length > 0) {
    console.error(`--strict: failing because of ${d.length} diagnostics (see ${path.join(options.out, 'api', 'diagnostics.json')})`);
    return 1;
  }
  return 0;
}

/** For `npm run bench`: stage timings and this process's peak resident memory. */
function writeReport(): void {
  const file = process.env.ATLAS_REPORT;
  if (!file) return;
  writeFileSync(file, JSON.stringify({ stages: timings, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}
