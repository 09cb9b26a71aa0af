/**
 * The site's data file: the catalog with its trust data (trust/analyze.ts), written once by the
 * pipeline and read once per process. Pages must not import the JSON (Vite would inline it into
 * every chunk) nor use the Content Layer: one readFileSync + JSON.parse is the fastest path for
 * ~10k pages. The memo lives on globalThis so that duplicated copies of this module in different
 * build chunks still share one parsed catalog.
 */
import { readFileSync } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Catalog } from '../catalog/types.ts';
import { toJson } from '../catalog/write.ts';
import type { Trust } from '../trust/analyze.ts';

/** What the pages read: the catalog and, under `trust`, what was derived from it once. */
export interface SiteCatalog extends Catalog {
  trust: Trust;
}

/** Environment variable through which `buildSite` passes the catalog path to the pages. */
export const CATALOG_ENV = 'ATLAS_CATALOG';

const memo = globalThis as typeof globalThis & { __atlasCatalog?: { file: string; catalog: SiteCatalog } };

export function catalogFile(): string {
  const file = process.env[CATALOG_ENV];
  if (!file) {
    throw new Error(`${CATALOG_ENV} is not set: build the site with \`npx atlas build\` (or buildSite()), which passes the catalog file to the pages.`);
  }
  return file;
}

export function loadCatalog(file: string = catalogFile()): SiteCatalog {
  if (memo.__atlasCatalog?.file === file) return memo.__atlasCatalog.catalog;
  let catalog: SiteCatalog;
  try {
    catalog = JSON.parse(readFileSync(file, 'utf8')) as SiteCatalog;
  } catch (error) {
    throw new Error(`Cannot read the catalog ${file}: ${(error as Error).message}`);
  }
  if (!catalog.trust) throw new Error(`The catalog ${file} has no trust data: write it with writeSiteCatalog (src/lib/pipeline.ts does).`);
  memo.__atlasCatalog = { file, catalog };
  return catalog;
}

/**
 * Writes the site's data file; returns the catalog's own compact JSON (without `trust`), which
 * the exports publish as catalog.json.gz. The trust data is appended as the last key, so the
 * catalog is serialised once.
 */
export async function writeSiteCatalog(catalog: Catalog, trust: Trust, file: string): Promise<string> {
  const text = toJson(catalog, false);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text.slice(0, text.lastIndexOf('}')));
  await appendFile(file, `,"trust":${JSON.stringify(trust)}}\n`);
  return text;
}
