/**
 * Builds the fixture site into the folder named by the first argument through the pipeline's
 * output stages, as the CLI would: the site's data file sits in the output's api/ and survives the
 * Astro build, then the JSON API and the exports are written so links to them resolve. Run by tests/setup/fixture-site.ts in a
 * child process (tsx), so Astro's build runs outside the test runner's own process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { writeOutputs } from '../../src/lib/pipeline.ts';
import { buildSite } from '../../scripts/site.ts';

const fixtureCatalog = fileURLToPath(new URL('../fixtures/site/catalog.json', import.meta.url));
const out = process.argv[2];
if (!out) throw new Error('usage: build-fixture-site.ts OUT_DIR');
const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
// The site's data file (the catalog with its trust data) goes to api/catalog.json.
await writeOutputs(catalog, {
  dir: out,
  out,
  work: path.join(out, 'api'),
  // buildSite's result goes beside the site (site-result.json), for the tests of what it reports.
  renderSite: async (catalogFile, outDir, log, alongside) => {
    const result = await buildSite({ catalogFile, outDir, log, alongside });
    writeFileSync(path.join(path.dirname(out), 'site-result.json'), JSON.stringify(result));
    return result;
  },
});
