/**
 * Reads the catalog JSON once per process. Pages must not import the JSON (Vite would inline it into
 * every chunk) nor use the Content Layer: one readFileSync + JSON.parse is the fastest path for
 * ~10k pages. The memo lives on globalThis so that duplicated copies of this module in different
 * build chunks still share one parsed catalog.
 */
import { readFileSync } from 'node:fs';
import type { Catalog } from '../catalog/types.ts';

/** Environment variable through which `buildSite` passes the catalog path to the pages. */
export const CATALOG_ENV = 'ATLAS_CATALOG';

const memo = globalThis as typeof globalThis & { __atlasCatalog?: { file: string; catalog: Catalog } };

export function catalogFile(): string {
  const file = process.env[CATALOG_ENV];
  if (!file) {
    throw new Error(
      `${CATALOG_ENV} is not set: build the site with \`npx atlas build\` (or buildSite()), which passes the catalog file to the pages.`,
    );
  }
  return file;
}

export function loadCatalog(file: string = catalogFile()): Catalog {
  if (memo.__atlasCatalog?.file === file) return memo.__atlasCatalog.catalog;
  let catalog: Catalog;
  try {
    catalog = JSON.parse(readFileSync(file, 'utf8')) as Catalog;
  } catch (error) {
    throw new Error(`Cannot read the catalog ${file}: ${(error as Error).message}`);
  }
  memo.__atlasCatalog = { file, catalog };
  return catalog;
}
