/**
 * Child process of tests/site/render-failure.test.ts (run with tsx): renders the fixture catalog
 * with one rule's references damaged, so that rule's page (and only it) throws while Astro
 * renders, and prints one JSON report line once the process has nothing left to do: what
 * buildSite threw, the unhandled rejections seen, the environment after, and what was left in
 * the output and in the project's render folders.
 *   render-failure-build.ts WORK_DIR [--cache]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { writeSiteCatalog } from '../../src/lib/site/catalog.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { buildSite, projectRoot } from '../../scripts/site.ts';

const work = process.argv[2];
if (!work) throw new Error('usage: render-failure-build.ts WORK_DIR [--cache]');
const cache = process.argv.includes('--cache') ? path.join(work, 'cache') : undefined;
const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));

const catalog = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/site/catalog.json', import.meta.url)), 'utf8')) as Catalog;
const good = path.join(work, 'good.json');
await writeSiteCatalog(catalog, analyzeTrust(catalog), good);
// A warm page cache first, so that the failing build also copies pages from it.
if (cache) await buildSite({ catalogFile: good, outDir: path.join(work, 'warm'), cache, search: false });

// The references of the third rule become a number in the site's data file (its trust data was
// derived from the intact catalog): describeReferences throws on that rule's page only.
const site = JSON.parse(readFileSync(good, 'utf8')) as { rules: { slug: string; references: unknown }[] };
const broken = site.rules[2];
broken.references = 5;
const bad = path.join(work, 'bad.json');
writeFileSync(bad, JSON.stringify(site));

const out = path.join(work, 'out');
let error: string | undefined;
try {
  await buildSite({ catalogFile: bad, outDir: out, cache, log: () => {} });
} catch (e) {
  error = (e as Error).message;
}
const env = { ATLAS_CATALOG: process.env.ATLAS_CATALOG, ATLAS_BASE: process.env.ATLAS_BASE };

process.once('beforeExit', () => {
  const renderFolders = readdirSync(path.join(projectRoot, '.cache')).filter((name) => name.startsWith(`site-staging-${process.pid}-`));
  const report = { error, slug: broken.slug, unhandled, env, outExists: existsSync(out), renderFolders };
  console.log(`REPORT ${JSON.stringify(report)}`);
});
