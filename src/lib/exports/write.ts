/**
 * Downloads written beside the JSON API in `DIR/api/`: Navigator layers, a CSV of rules, the
 * whole catalog as one gzip file, and the change list with its Atom feed.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { atomFeed } from '../changes/atom.ts';
import type { Catalog } from '../catalog/types.ts';
import { toJson } from '../catalog/write.ts';
import { rulesCsv } from './csv.ts';
import { gzipDeterministic } from './gzip.ts';
import { navigatorLayer } from './navigator.ts';

export const EXPORT_FILES = {
  navigatorRules: 'navigator-rules.json',
  navigatorTests: 'navigator-tests.json',
  rulesCsv: 'rules.csv',
  catalog: 'catalog.json.gz',
  changes: 'changes.json',
  feed: 'changes.xml',
} as const;

export interface ExportOptions {
  /** The published site's address, for absolute links in the feed and the layers. */
  siteUrl?: string;
  /** `catalog.json.gz` already being compressed (gzipDeterministicAsync of the compact JSON), started by the caller. */
  catalogGzip?: Promise<Buffer>;
}

/** Writes the exports into `outDir/api/`; returns the file names written. */
export async function writeExports(catalog: Catalog, outDir: string, options: ExportOptions = {}): Promise<string[]> {
  const api = path.join(outDir, 'api');
  await mkdir(api, { recursive: true });
  const files: [string, string | Buffer][] = [
    [EXPORT_FILES.navigatorRules, toJson(navigatorLayer(catalog, 'rules', options.siteUrl))],
    [EXPORT_FILES.navigatorTests, toJson(navigatorLayer(catalog, 'tests', options.siteUrl))],
    [EXPORT_FILES.rulesCsv, rulesCsv(catalog)],
    [EXPORT_FILES.catalog, options.catalogGzip ? await options.catalogGzip : gzipDeterministic(toJson(catalog, false))],
  ];
  if (catalog.changes) {
    files.push([EXPORT_FILES.changes, toJson(catalog.changes)]);
    files.push([EXPORT_FILES.feed, atomFeed(catalog.changes, { title: catalog.title, siteUrl: options.siteUrl, repositoryUrl: catalog.repositoryUrl })]);
  } else {
    // Without --previous there is no change list; one left from an earlier build would be stale.
    await Promise.all([EXPORT_FILES.changes, EXPORT_FILES.feed].map((name) => rm(path.join(api, name), { force: true })));
  }
  await Promise.all(files.map(([name, content]) => writeFile(path.join(api, name), content)));
  return files.map(([name]) => name);
}
