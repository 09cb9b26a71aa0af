/**
 * Builds the fixture site into the folder named by the first argument, as the CLI would: the
 * catalog and api/ sit in the output folder and survive the Astro build, then the JSON API and
 * the exports are written so links to them resolve. Run by tests/setup/fixture-site.ts in a
 * child process (tsx), so Astro's build runs outside the test runner's own process.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { writeApi } from '../../src/lib/catalog/write.ts';
import { writeExports } from '../../src/lib/exports/write.ts';
import { buildSite } from '../../scripts/site.ts';

const fixtureCatalog = fileURLToPath(new URL('../fixtures/site/catalog.json', import.meta.url));
const out = process.argv[2];
if (!out) throw new Error('usage: build-fixture-site.ts OUT_DIR');
mkdirSync(path.join(out, 'api'), { recursive: true });
const catalogFile = path.join(out, 'api', 'catalog.json');
copyFileSync(fixtureCatalog, catalogFile);
await buildSite({ catalogFile, outDir: out });
const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
await writeApi(catalog, out);
await writeExports(catalog, out);
