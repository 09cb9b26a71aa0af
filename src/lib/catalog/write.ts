/**
 * catalog → files: the public JSON API under `api/` (the trust files beside it: trust/api.ts), and the full catalog.
 * Summaries keep the list files small; per-entity files carry everything.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { mapLimit } from '../parallel.ts';
import type { Catalog, CatalogRule, CatalogTest } from './types.ts';
import { ruleApiPath, testApiPath } from './urls.ts';

export function ruleSummary(r: CatalogRule) {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    path: r.path,
    collection: r.collection,
    kind: r.kind,
    status: r.status ?? null,
    level: r.level ?? null,
    logsource: r.logsource,
    techniques: r.techniques,
    tactics: r.tactics,
    tests: r.tests,
    ...(r.created ? { created: r.created } : {}),
    ...(r.lastModified ? { lastModified: r.lastModified } : {}),
    ...(r.predictedTests ? { predictedTests: r.predictedTests } : {}),
    ...(r.observedTests ? { observedTests: r.observedTests } : {}),
    url: r.url,
  };
}

export function testSummary(t: CatalogTest) {
  return {
    guid: t.guid,
    technique: t.technique,
    number: t.number,
    name: t.name,
    platforms: t.platforms,
    executor: t.executor,
    rules: t.rules,
    ...(t.predicted ? { predicted: t.predicted } : {}),
    ...(t.observed ? { observed: t.observed } : {}),
    url: t.url,
  };
}

/** Stable JSON text: the catalog's own key order, two-space indent for the public files. */
export function toJson(value: unknown, pretty = true): string {
  return `${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`;
}

export async function writeApi(catalog: Catalog, outDir: string): Promise<number> {
  const api = path.join(outDir, 'api');
  await mkdir(path.join(api, 'rules'), { recursive: true });
  await mkdir(path.join(api, 'tests'), { recursive: true });
  const files: [string, unknown][] = [
    ['rules.json', catalog.rules.map(ruleSummary)],
    ['techniques.json', catalog.techniques.map(({ description: _d, ...t }) => t)],
    ['tactics.json', catalog.tactics],
    ['tests.json', catalog.tests.map(testSummary)],
    ['indicators.json', catalog.indicators.map(({ key: _k, ...i }) => i)],
    ['diagnostics.json', catalog.diagnostics],
    ['unresolved-references.json', catalog.unresolvedReferences],
    ['stats.json', catalog.stats],
    ...(catalog.provenance ? [['provenance.json', catalog.provenance] as [string, unknown]] : []),
  ];
  for (const r of catalog.rules) files.push([ruleApiPath(r.slug), r]);
  for (const t of catalog.tests) files.push([testApiPath(t.slug), t]);
  await mapLimit(files, ([name, value]) => writeFile(path.join(api, name), toJson(value)));
  await removeStale(api, new Set(files.map(([name]) => name)));
  return files.length;
}

/** Per-entity files of a rule or test that is gone (an output folder built into again). */
async function removeStale(api: string, written: Set<string>): Promise<void> {
  for (const folder of ['rules', 'tests']) {
    const stale = (await readdir(path.join(api, folder))).filter((f) => f.endsWith('.json') && !written.has(`${folder}/${f}`));
    await mapLimit(stale, (f) => rm(path.join(api, folder, f), { force: true }));
  }
}
