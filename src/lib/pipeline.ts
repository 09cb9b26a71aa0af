/**
 * The build as a sequence of named stages: load → model → catalog. Each stage reports a line
 * of progress; the CLI and the benchmark both run it.
 */
import { loadAttackBundle } from './attack/stix.ts';
import { loadAtomics } from './atomic/load.ts';
import { buildCatalog } from './catalog/build.ts';
import type { Catalog } from './catalog/types.ts';
import type { Diagnostic } from './diagnostics.ts';
import { loadSigmaRoots, type RawSigmaDocument } from './sigma/load.ts';
import { expandLegacyCollection, toRule, type SigmaRule } from './sigma/rule.ts';

export interface PipelineOptions {
  sigma: string[];
  atomics?: string;
  attack?: string;
  title?: string;
  repositoryUrl?: string;
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

  const sigma = await stage('sigma', () => loadSigmaRoots(options.sigma), (r) => `${r.files} files read, ${r.documents.length} YAML documents`);
  const atomics = await stage(
    'atomics',
    async () => (options.atomics ? loadAtomics(options.atomics) : { techniques: [], diagnostics: [], files: 0 }),
    (r) => `${r.files} files read, ${r.techniques.length} techniques, ${r.techniques.reduce((n, t) => n + t.tests.length, 0)} tests`,
  );
  const attack = await stage(
    'attack',
    async () => (options.attack ? loadAttackBundle(options.attack) : { data: undefined, diagnostics: [] }),
    (r) => (r.data ? `${r.data.techniques.length} techniques, ${r.data.tactics.length} tactics` : 'no bundle: names and tactics from Atomic data and tags'),
  );
  const model = await stage('rules', () => modelRules(sigma.documents), (r) => `${r.rules.length} rules parsed`);
  const catalog = await stage(
    'catalog',
    () =>
      buildCatalog({
        title: options.title,
        repositoryUrl: options.repositoryUrl,
        rules: model.rules,
        atomics: atomics.techniques,
        attack: attack.data,
        diagnostics: [...sigma.diagnostics, ...atomics.diagnostics, ...attack.diagnostics, ...model.diagnostics],
        files: { sigma: sigma.files, atomics: atomics.files, attack: options.attack ? 1 : 0 },
      }),
    (c) => {
      const links = c.rules.reduce((n, r) => n + r.techniques.length + r.tests.length, 0);
      return `${c.techniques.length} techniques, ${c.tests.length} tests, ${c.indicators.length} indicators, ${links} links made`;
    },
  );
  timings.catalogTotal = (performance.now() - begin) / 1000;
  return catalog;
}

/** Raw documents → rules, file by file (legacy `action: global` collections are expanded per file). */
export function modelRules(documents: RawSigmaDocument[]): { rules: SigmaRule[]; diagnostics: Diagnostic[] } {
  const rules: SigmaRule[] = [];
  const diagnostics: Diagnostic[] = [];
  const byFile = new Map<string, RawSigmaDocument[]>();
  for (const d of documents) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d]);
  for (const docs of byFile.values()) {
    for (const doc of expandLegacyCollection(docs)) {
      const result = toRule(doc);
      if (result.rule) rules.push(result.rule);
      diagnostics.push(...result.diagnostics);
    }
  }
  return { rules, diagnostics };
}
