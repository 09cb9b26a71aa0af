/**
 * The build as a sequence of named stages: load → model → catalog. Each stage reports a line
 * of progress; the CLI and the benchmark both run it. With a cache folder, loading and modelling
 * reuse what earlier builds computed from unchanged files (src/lib/cache/); the catalog itself
 * is always rebuilt from every rule, so counts and cross-references stay exact.
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
import { toolPackage } from './package-root.ts';
import { applyPredictions } from './catalog/predictions.ts';
import { predictAll, type PredictResult } from './evaluate/predict.ts';
import { payloadsHash, predictCached, type CachedPredictions, type PredictionEntry } from './cache/predictions.ts';
import { PayloadStore } from './evaluate/simulate/payloads.ts';
import { applyObserved } from './observed/apply.ts';
import { loadObserved } from './observed/load.ts';
import type { Catalog } from './catalog/types.ts';
import { diffBuilds } from './changes/diff.ts';
import { readPreviousBuild, type PreviousLimits } from './changes/previous.ts';
import type { Changes } from './changes/types.ts';
import type { Diagnostic } from './diagnostics.ts';
import { withDates } from './git/dates.ts';
import type { RawSigmaDocument } from './sigma/load.ts';
import { expandLegacyCollection, toRule, type SigmaRule } from './sigma/rule.ts';

export interface PipelineOptions {
  sigma: string[];
  atomics?: string;
  attack?: string;
  title?: string;
  repositoryUrl?: string;
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
  /** Folder of run-time payloads (index.json + files) that tests download or load; see evaluate/simulate/payloads.ts. */
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
    async () => modelSigma(sigma, await cache.section<SigmaFileEntry>('sigma'), modelFile),
    (r) => `${r.rules.length} rules (${count(r.modelled, 'file')} modelled)`,
  );
  const git = history ? await stage('git', () => history, describeGit) : undefined;
  const rules = withDates(model.rules, git?.dates ?? new Map());
  const indicators = new Map(rules.map((rule, i) => [rule, model.indicators[i]]));
  const catalog = await stage(
    'catalog',
    () =>
      buildCatalog({
        title: options.title,
        repositoryUrl: options.repositoryUrl,
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
  catalog.provenance = {
    tool: toolPackage(),
    ...(options.attack && attack.data && { attack: attackProvenance(options.attack, attack.data.release, options.attackVersion) }),
    sources: await sources,
  };
  timings.catalogTotal = (performance.now() - begin) / 1000;
  // Saved before the stages that may fail on outside input (--previous), so their failure costs no cache.
  if (options.cache) await stage('cache', () => cache.save(), (r) => `${count(r.updated, 'entry', 'entries')} stored, ${r.dropped} dropped, ${count(r.written, 'file')} written in ${options.cache}`);
  const predicted = await stage('predict', () => predict(catalog, options, cache), ({ predictions: p, notes, evaluated }) => {
    const tests = new Set(p.map((x) => x.test)).size;
    const loaded = p.filter((x) => x.payload).length;
    const reused = evaluated ? `; evaluated ${count(evaluated.rules, 'rule')} and ${count(evaluated.tests, 'test')} not in the cache` : '';
    return `${p.length} predicted detections (${loaded} from loaded payloads): ${tests} of ${catalog.tests.length} tests trigger at least one rule (static evaluation); ${notes.size} tests load a payload not in the store${reused}`;
  });
  applyPredictions(catalog, predicted.predictions, predicted.notes);
  if (options.observed?.length) {
    const paths = options.observed;
    await stage('observed', async () => {
      applyObserved(catalog, await loadObserved(paths));
      return catalog.observed!;
    }, (o) => `${o.records} records from ${count(o.files.length, 'file')}: ${count(o.tests, 'test')} with real-run results`);
  }

  if (options.previous) {
    const previous = options.previous;
    const changes = await stage(
      'changes',
      async () => {
        const read = await readPreviousBuild(previous, options.previousLimits);
        return 'build' in read ? diffBuilds(read.build, catalog) : read;
      },
      (r) => ('missing' in r ? `no previous build (${r.missing}): no change list` : describeChanges(r)),
    );
    if (!('missing' in changes)) catalog.changes = changes;
  }
  return catalog;
}

/** Predicted detections; with a cache, only the rules and tests it has not seen are evaluated (cache/predictions.ts). */
async function predict(catalog: Catalog, options: PipelineOptions, cache: BuildCache): Promise<PredictResult & Partial<CachedPredictions>> {
  const payloads = PayloadStore.open(options.payloads, options.atomics);
  if (!options.cache) return predictAll(catalog.rules, catalog.tests, { payloads });
  const section = await cache.section<PredictionEntry>('predictions');
  const result = predictCached(catalog.rules, catalog.tests, { payloads, payloadsHash: payloadsHash(options.payloads, options.atomics) }, section);
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
  if (g.checkouts) parts.push(`dates for ${count(g.dates.size, 'file')} from ${g.passes ? count(g.passes, 'history pass', 'history passes') : 'the cache (HEAD unchanged)'}`);
  if (g.notes.length) parts.push(`${g.notes.join('; ')}: dates from the rules' date/modified`);
  return parts.join('; ');
}

function describeChanges(c: Changes): string {
  const list = (counts: Record<string, number>) => Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  return `since the previous build (${c.previous.rules} rules, ${c.previous.tests} tests): rules ${list(c.summary.rules)}; tests ${list(c.summary.tests)}`;
}

/** One file's documents → its rules and their diagnostics. */
export function modelFile(documents: RawSigmaDocument[]): { rules: SigmaRule[]; diagnostics: Diagnostic[] } {
  const rules: SigmaRule[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const doc of expandLegacyCollection(documents)) {
    const result = toRule(doc);
    if (result.rule) rules.push(result.rule);
    diagnostics.push(...result.diagnostics);
  }
  return { rules, diagnostics };
}
