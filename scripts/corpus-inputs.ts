/**
 * The full corpus as the build hands it to the predict stage (for scripts/prediction-review.ts and
 * tests/predict/corpus.test.ts), through the production code only: Sigma files scanned and
 * modelled as the pipeline does (`scanSigma`, `modelSigma`, `modelSigmaFile`, with a cache that
 * lives in memory), atomics by `loadAtomics`, and `buildCatalog` for the rule slugs and catalog
 * tests that `predictAll` receives. No YAML is read here.
 */
import { loadAtomics } from '../src/lib/atomic/load.ts';
import { modelSigma, scanSigma, type SigmaFileEntry } from '../src/lib/cache/sigma.ts';
import { BuildCache } from '../src/lib/cache/store.ts';
import { buildCatalog } from '../src/lib/catalog/build.ts';
import type { CatalogRule, CatalogTest } from '../src/lib/catalog/types.ts';

export async function loadCorpusInputs(sigma: string, atomics: string): Promise<{ rules: CatalogRule[]; tests: CatalogTest[] }> {
  const section = await BuildCache.memory().section<SigmaFileEntry>('sigma');
  const scan = await scanSigma([sigma], section);
  const model = modelSigma(scan, section);
  const loaded = await loadAtomics(atomics);
  const catalog = buildCatalog({
    rules: model.rules,
    atomics: loaded.techniques,
    diagnostics: [],
    files: { sigma: scan.files, atomics: loaded.files, attack: 0 },
  });
  return { rules: catalog.rules, tests: catalog.tests };
}
