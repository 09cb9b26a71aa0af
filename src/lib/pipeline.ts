/**
 * The build as a sequence of named stages: load → model → catalog (`runCatalog`), then the trust
 * data, the pages, the JSON API and the exports (`writeOutputs`), built in a staging folder and
 * published whole (`runBuild`). This is the one place that wires the stages; each reports a line
 * of progress and its time. With a cache folder, loading and modelling reuse what earlier builds
 * computed from unchanged files (src/lib/cache/); the catalog itself is always rebuilt from every
 * rule, so counts and cross-references stay exact.
 */
import path from 'node:path';
import { loadAttackCached, type AttackEntry } from './cache/attack.ts';
import { loadAtomicsIncremental, type AtomicFolderEntry } from './cache/atomics.ts';
import { loadGitDates, type GitDates, type GitEntry } from './cache/git.ts';
import { modelSigma, scanSigma, type SigmaFileEntry } from './cache/sigma.ts';
import { BuildCache } from './cache/store.ts';
import { buildCatalog } from './catalog/build.ts';
import { ruleIndicators } from './indicators/extract.ts';
import { attackProvenance, sourceProvenance } from './catalog/provenance.ts';
import { withPredictions } from './catalog/predictions.ts';
import { predictAll, type PredictResult } from './predict/predict.ts';
import { predictCached, type CachedPredictions, type PredictionEntry } from './cache/predictions.ts';
import { PayloadStore } from './simulate/payload-store.ts';
import { withObserved } from './observed/apply.ts';
import { loadObserved } from './observed/load.ts';
import type { Catalog } from './catalog/types.ts';
import { toJson, writeApi } from './catalog/write.ts';
import { writeExports } from './exports/write.ts';
import { gzipDeterministicAsync } from './exports/gzip.ts';
import { checkInputs, InputError } from './inputs/check.ts';
import { checkOut, OutputError, previousIsOut, toolFolders, type Protected } from './output/guard.ts';
import { publish } from './output/publish.ts';
import { cleanUpOnSignal } from './output/signals.ts';
import { createStaging, recoverLeftovers, removeStaging, type Staging } from './output/staging.ts';
import type { RemoveOld } from './output/trash.ts';
import { packageRoot, toolPackage } from './package-root.ts';
import { writeSiteCatalog } from './site/catalog.ts';
import { analyzeTrust, type Trust } from './trust/analyze.ts';
import { writeTrustApi } from './trust/api.ts';
import { ruleUrl } from './catalog/urls.ts';
import { diffBuilds } from './changes/diff.ts';
import { readPreviousBuild, type PreviousLimits } from './changes/previous.ts';
import type { Changes } from './changes/types.ts';
import { withDates } from './git/dates.ts';

export interface PipelineOptions {
  sigma: string[];
  atomics?: string;
  attack?: string;
  title?: string;
  repositoryUrl?: string;
  /** Branch or commit of the "view source" links (`--repo-ref`). */
  repositoryRef?: string;
  /** Folder of the incremental cache (the CLI's default: .cache/atlas); without it every file is read. */
  cache?: string;
  /** Created/last-modified dates from git history when a Sigma root is a git checkout. */
  gitDates?: boolean;
  /** The previous build's api/ folder (or its URL): the catalog then carries `changes`. */
  previous?: string;
  /** Observed-run record files or folders (`--observed`): tests then carry `observed`. */
  observed?: string[];
  /** The ATT&CK version of a bundle that does not state it (no x-mitre-collection object). */
  attackVersion?: string;
  /** Time and size bounds for reading `previous` from a URL. */
  previousLimits?: PreviousLimits;
  /** Folder of run-time payloads (index.json + files) that tests download or load; see simulate/payload-store.ts. */
  payloads?: string;
  /**
   * Given the save of the predictions cache instead of saving it at once. The CLI saves it after
   * the site: written just before Astro renders (a 16 MB section), a cold full-corpus build peaked
   * at 1.74 GB in both runs measured, against 1.36 GB without it; saved after the site, 1.39–1.72 GB
   * over four runs (peak RSS varies by ±200 MB between runs on this machine).
   */
  deferCacheSave?: (save: () => Promise<unknown>) => void;
}

export type Log = (line: string) => void;

/** Seconds per stage, filled in as the stages run (for the benchmark). */
export type Timings = Record<string, number>;

export async function runCatalog(options: PipelineOptions, log: Log = () => {}, timings: Timings = {}): Promise<Catalog> {
  const begin = performance.now();
  const stage = async <T>(name: string, work: () => Promise<T> | T, describe: (result: T) => string): Promise<T> => {
    const start = performance.now();
    const result = await work();
    timings[name] = (performance.now() - start) / 1000;
    log(`${name.padEnd(8)} ${describe(result)} (${timings[name].toFixed(2)} s)`);
    return result;
  };
  const cache = options.cache ? await BuildCache.open(options.cache) : BuildCache.memory();
  // git runs in its own process while the files load; the `git` stage waits for what is left.
  const history = options.gitDates ? cache.section<GitEntry>('git').then((s) => loadGitDates(options.sigma, s)) : undefined;
  history?.catch(() => {}); // awaited in its stage; this only stops an early failure counting as unhandled
  const sources = Promise.all([
    ...options.sigma.map((root) => sourceProvenance('sigma', root)),
    ...(options.atomics ? [sourceProvenance('atomics', options.atomics)] : []),
  ]);

  const sigma = await stage(
    'sigma',
    async () => scanSigma(options.sigma, await cache.section<SigmaFileEntry>('sigma')),
    (r) => `${r.files} files (${reuse(r)}), ${r.documents} YAML documents`,
  );
  const atomics = await stage(
    'atomics',
    async () =>
      options.atomics
        ? loadAtomicsIncremental(options.atomics, await cache.section<AtomicFolderEntry>('atomics'))
        : { techniques: [], diagnostics: [], files: 0, cached: 0, read: 0 },
    (r) => `${r.files} files (${reuse(r)}), ${r.techniques.length} techniques, ${r.techniques.reduce((n, t) => n + t.tests.length, 0)} tests`,
  );
  const attack = await stage(
    'attack',
    async () =>
      options.attack ? loadAttackCached(options.attack, await cache.section<AttackEntry>('attack')) : { data: undefined, diagnostics: [], cached: false },
    (r) =>
      r.data
        ? `${r.data.techniques.length} techniques, ${r.data.tactics.length} tactics${r.cached ? ' (cached)' : ''}`
        : 'no bundle: names and tactics from Atomic data and tags',
  );
  const model = await stage(
    'rules',
    async () => modelSigma(sigma, await cache.section<SigmaFileEntry>('sigma')),
    (r) => `${r.rules.length} rules (${count(r.modelled, 'file')} modelled)`,
  );
  const git = history ? await stage('git', () => history, describeGit) : undefined;
  const rules = withDates(model.rules, git?.dates ?? new Map());
  const indicators = new Map(rules.map((rule, i) => [rule, model.indicators[i]]));
  const built = await stage(
    'catalog',
    () =>
      buildCatalog({
        title: options.title,
        repositoryUrl: options.repositoryUrl,
        repositoryRef: options.repositoryRef,
        rules,
        indicatorsOf: (rule) => indicators.get(rule) ?? ruleIndicators(rule),
        atomics: atomics.techniques,
        attack: attack.data,
        diagnostics: [...atomics.diagnostics, ...attack.diagnostics, ...model.diagnostics],
        files: { sigma: sigma.files, atomics: atomics.files, attack: options.attack ? 1 : 0 },
        roots: [...options.sigma, ...(options.atomics ? [options.atomics] : []), ...(options.attack ? [path.dirname(options.attack)] : [])],
      }),
    (c) => {
      const links = c.rules.reduce((n, r) => n + r.techniques.length + r.tests.length, 0);
      return `${c.techniques.length} techniques, ${c.tests.length} tests, ${c.indicators.length} indicators, ${links} links made`;
    },
  );
  // Each later stage gives a new catalog; none changes the one before it.
  let catalog: Catalog = {
    ...built,
    provenance: {
      tool: toolPackage(),
      ...(options.attack && attack.data && { attack: attackProvenance(options.attack, attack.data.release, options.attackVersion) }),
      sources: await sources,
    },
  };
  timings.catalogTotal = (performance.now() - begin) / 1000;
  // Saved before the stages that may fail on outside input (--previous), so their failure costs no cache.
  if (options.cache)
    await stage(
      'cache',
      () => cache.save(),
      (r) => `${count(r.updated, 'entry', 'entries')} stored, ${r.dropped} dropped, ${count(r.written, 'file')} written in ${options.cache}`,
    );
  const predicted = await stage(
    'predict',
    () => predict(catalog, options, cache),
    ({ predictions: p, notes, evaluated }) => {
      const tests = new Set(p.map((x) => x.test)).size;
      const loaded = p.filter((x) => x.payload).length;
      const reused = evaluated ? `; evaluated ${count(evaluated.rules, 'rule')} and ${count(evaluated.tests, 'test')} not in the cache` : '';
      return `${p.length} predicted detections (${loaded} from loaded payloads): ${tests} of ${catalog.tests.length} tests trigger at least one rule (static evaluation); ${notes.size} tests load a payload not in the store${reused}`;
    },
  );
  catalog = withPredictions(catalog, predicted.predictions, predicted.notes);
  if (options.observed?.length) {
    const paths = options.observed;
    const before = catalog;
    catalog = await stage(
      'observed',
      async () => withObserved(before, await loadObserved(paths)),
      (c) => {
        const o = c.observed!;
        return `${o.records} records from ${count(o.files.length, 'file')}: ${count(o.tests, 'test')} with real-run results`;
      },
    );
  }

  if (options.previous) {
    const previous = options.previous;
    const current = catalog;
    const changes = await stage(
      'changes',
      async () => {
        const read = await readPreviousBuild(previous, options.previousLimits);
        return 'build' in read ? { list: diffBuilds(read.build, current, ruleUrl), listed: read.build.listed } : read;
      },
      (r) =>
        'missing' in r
          ? `no previous build (${r.missing}): no change list (nor the tombstones of rules removed before, nor the old addresses of rules that moved)`
          : `${describeChanges(r.list)}${r.listed ? '' : '; the previous build has no change list, so the tombstones of rules removed before it and the old addresses of rules that moved (if any) are not carried over'}`,
    );
    if (!('missing' in changes)) catalog = { ...catalog, changes: changes.list };
  }
  return catalog;
}

/**
 * Renders the pages of a site data file into a folder (scripts/site.ts `buildSite`: Astro, then
 * Pagefind). `alongside` writes api/ and the exports: the renderer runs it while the search index is
 * built and settles it before it returns or throws; a renderer that does not call it leaves it to
 * writeOutputs, after the pages.
 */
export type RenderSite = (
  catalogFile: string,
  outDir: string,
  log: Log,
  alongside: () => Promise<void>,
) => Promise<{ pages: number; seconds?: { render: number; search?: number } }>;

export interface OutputOptions {
  /** Folder the output is written into (its `api/`, and the pages): the build's staging folder. */
  dir: string;
  /** The output folder as the user named it, for the log lines (`dir` is swapped in there at the end). */
  out: string;
  /** Folder for the site's data file, outside the output (the staging `work/` folder). */
  work: string;
  /** The pages; without it only `api/` and the exports are written (`atlas catalog`). */
  renderSite?: RenderSite;
  /** The published site's address, for absolute links in the feed and layers. */
  siteUrl?: string;
}

/**
 * The stages after the catalog: the trust data (derived here once, then only read by the pages,
 * the redirect pages and `api/`), the pages, the JSON API and the exports.
 */
export async function writeOutputs(catalog: Catalog, options: OutputOptions, log: Log = () => {}, timings: Timings = {}): Promise<void> {
  let t = performance.now();
  const trust = analyzeTrust(catalog);
  timings.trust = (performance.now() - t) / 1000;
  let catalogGzip: Promise<Buffer> | undefined;
  // api/ and the exports, once: during the site's search indexing when the renderer runs them, else after the pages.
  let written: Promise<void> | undefined;
  const writeData = () => {
    if (!written) {
      written = writeApiAndExports(catalog, trust, options, catalogGzip, log, timings);
      written.catch(() => {}); // awaited below (or by the renderer); this only stops it counting as unhandled meanwhile
    }
    return written;
  };
  if (options.renderSite) {
    const catalogFile = path.join(options.work, 'catalog.json');
    t = performance.now();
    // catalog.json.gz compresses in the thread pool from here, while Astro starts: the ~55 MB of JSON
    // is not held through the render (it raised this process's peak memory).
    catalogGzip = gzipDeterministicAsync(await writeSiteCatalog(catalog, trust, catalogFile));
    catalogGzip.catch(() => {}); // awaited by writeExports; a failure then is reported there
    timings.siteCatalog = (performance.now() - t) / 1000;
    t = performance.now();
    const site = await options.renderSite(catalogFile, options.dir, log, writeData).catch(async (error: unknown) => {
      // Not left writing into the staging folder that the caller removes next.
      await written?.catch(() => {});
      throw error;
    });
    timings.site = (performance.now() - t) / 1000;
    // The site stage's parts, for the regeneration bench.
    if (site.seconds)
      Object.assign(timings, { siteRender: site.seconds.render, ...(site.seconds.search !== undefined && { siteSearch: site.seconds.search }) });
    log(`site     ${site.pages} pages (${timings.site.toFixed(2)} s)`);
  }
  await writeData();
}

/** The JSON API and the exports (written into the output's api/). */
async function writeApiAndExports(
  catalog: Catalog,
  trust: Trust,
  options: OutputOptions,
  started: Promise<Buffer> | undefined,
  log: Log,
  timings: Timings,
): Promise<void> {
  // catalog.json.gz compresses in the thread pool while api/ is written (started with the site's data file when there is a site).
  const catalogGzip = started ?? gzipDeterministicAsync(toJson(catalog, false));
  catalogGzip.catch(() => {}); // awaited by writeExports; a failure then is reported there
  let t = performance.now();
  const files = (await writeApi(catalog, options.dir)) + (await writeTrustApi(trust, path.join(options.dir, 'api'))).length;
  timings.api = (performance.now() - t) / 1000;
  log(`api      ${files} JSON files in ${path.join(options.out, 'api')} (${timings.api.toFixed(2)} s)`);
  t = performance.now();
  const exports = await writeExports(catalog, options.dir, { siteUrl: options.siteUrl, catalogGzip });
  timings.exports = (performance.now() - t) / 1000;
  log(`exports  ${exports.join(', ')} (${timings.exports.toFixed(2)} s)`);
}

/** One whole build: what `atlas build` and `atlas catalog` run. */
export interface BuildRun extends PipelineOptions {
  /** The output folder: new, empty, or an earlier atlas output (src/lib/output/guard.ts). */
  out: string;
  /** Version written into the output's marker. */
  version: string;
  /** Publish even when no rule is found. */
  allowEmpty?: boolean;
  renderSite?: RenderSite;
  siteUrl?: string;
  /** How the old output is removed after the swap: by a detached process (default) or before returning (output/trash.ts). */
  removeOld?: RemoveOld;
}

/**
 * Checks the inputs and --out, then builds the whole output in a staging folder beside --out and
 * swaps it in (src/lib/output/): nothing is written into --out until the build has succeeded.
 */
export async function runBuild(options: BuildRun, log: Log = () => {}, timings: Timings = {}): Promise<Catalog> {
  await checkInputs(options);
  const out = await checkOut(options.out, await protectedPaths(options));
  for (const line of await recoverLeftovers(out)) log(`output   ${line}`);
  const staging = stagingBeside(out);
  const release = cleanUpOnSignal(staging);
  // The predictions cache is saved after the site: saved before, its 16 MB section raised the peak memory of Astro's render.
  let saveCache: (() => Promise<unknown>) | undefined;
  try {
    const catalog = await runCatalog({ ...options, deferCacheSave: (save) => (saveCache = save) }, log, timings);
    if (catalog.rules.length === 0 && !options.allowEmpty) {
      throw new InputError(
        `no rules found in ${options.sigma.join(', ')} (${catalog.diagnostics.length} diagnostics): nothing published; pass --allow-empty to publish an empty site`,
      );
    }
    await writeOutputs(
      catalog,
      { dir: staging.site, out: options.out, work: staging.work, renderSite: options.renderSite, siteUrl: options.siteUrl },
      log,
      timings,
    );
    let t = performance.now();
    if (saveCache) {
      await saveCache();
      timings.cacheSave = (performance.now() - t) / 1000;
    }
    saveCache = undefined;
    t = performance.now();
    await publish(staging, options.version, options.removeOld);
    timings.publish = (performance.now() - t) / 1000;
    log(`publish  ${out} (${timings.publish.toFixed(2)} s)`);
    return catalog;
  } catch (error) {
    // A build that fails after predicting (an unreachable --previous, a page that does not render) keeps its predictions for the next.
    await saveCache?.().catch(() => {});
    throw error;
  } finally {
    await removeStaging(staging);
    release();
  }
}

/** What the output may not overlap: every input, the cache, and the tool itself. */
async function protectedPaths(options: BuildRun): Promise<Protected[]> {
  // An output inside a Sigma root is allowed: GitLab Pages publishes `public/` of the rule
  // repository's own checkout (docs/ci.md), and the scan reads only .yml files, which no output holds.
  const keep: Protected[] = options.sigma.map((p) => ({ what: `--sigma folder`, path: p, inside: false }));
  if (options.atomics) keep.push({ what: '--atomics folder', path: options.atomics, inside: true });
  if (options.attack) keep.push({ what: '--attack file', path: options.attack, inside: true });
  if (options.cache) keep.push({ what: 'cache folder', path: options.cache, inside: true });
  // The previous build may be the output itself (`--previous dist --out dist`): it is read before it is replaced.
  if (options.previous && !/^https?:\/\//i.test(options.previous) && !(await previousIsOut(options.previous, options.out))) {
    keep.push({ what: '--previous folder', path: options.previous, inside: true });
  }
  return [...keep, ...toolFolders(packageRoot)];
}

/** The staging folder, or a refusal when the folder that would hold it cannot be written. */
function stagingBeside(out: string): Staging {
  try {
    return createStaging(out);
  } catch (error) {
    throw new OutputError(
      `--out ${out}: cannot create the build's staging folder beside it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); the folder holding --out must be writable`,
    );
  }
}

/** Predicted detections; with a cache, only the rules and tests it has not seen are evaluated (cache/predictions.ts). */
async function predict(catalog: Catalog, options: PipelineOptions, cache: BuildCache): Promise<PredictResult & Partial<CachedPredictions>> {
  const payloads = PayloadStore.open(options.payloads, options.atomics);
  if (!options.cache) return predictAll(catalog.rules, catalog.tests, { payloads });
  const section = await cache.section<PredictionEntry>('predictions');
  const result = predictCached(catalog.rules, catalog.tests, { payloads }, section);
  if (options.deferCacheSave) options.deferCacheSave(() => cache.save());
  else await cache.save();
  return result;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "4038 cached, 1 read", with how many were confirmed unchanged by their content hash. */
function reuse(r: { cached: number; read: number; hashChecked?: number }): string {
  return `${r.cached} cached, ${r.read} read${r.hashChecked ? `; ${r.hashChecked} confirmed unchanged by content hash` : ''}`;
}

function describeGit(g: GitDates): string {
  const parts = [];
  if (g.checkouts)
    parts.push(`dates for ${count(g.dates.size, 'file')} from ${g.passes ? count(g.passes, 'history pass', 'history passes') : 'the cache (HEAD unchanged)'}`);
  if (g.notes.length) parts.push(`${g.notes.join('; ')}: dates from the rules' date/modified`);
  return parts.join('; ');
}

function describeChanges(c: Changes): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
  return `since the previous build (${c.previous.rules} rules, ${c.previous.tests} tests): rules ${list(c.summary.rules)}; tests ${list(c.summary.tests)}`;
}
