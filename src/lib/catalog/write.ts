/**
 * catalog → files: the public JSON API under `api/`, and the full catalog the site reads.
 * Summaries keep the list files small; per-entity files carry everything.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, CatalogRule, CatalogTest } from './types.ts';

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
    ...(r.predictedTests ? { predictedTests: r.predictedTests } : {}),
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
    url: t.url,
  };
}

/** Stable JSON text: the catalog's own key order, two-space indent for the public files. */
export function toJson(value: unknown, pretty = true): string {
  return `${JSON.stringify(value, null, pretty ? 2 : undefined)}\n`;
}

/** The last path segment of an entity URL (`/rules/x/` → `x`), already made safe by the slugger. */
function segment(url: string): string {
  return url.split('/').filter(Boolean).pop()!;
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
  ];
  for (const r of catalog.rules) files.push([`rules/${segment(r.url)}.json`, r]);
  for (const t of catalog.tests) files.push([`tests/${segment(t.url)}.json`, t]);
  await Promise.all(files.map(([name, value]) => writeFile(path.join(api, name), toJson(value))));
  return files.length;
}

export async function writeCatalogFile(catalog: Catalog, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, toJson(catalog, false));
}
