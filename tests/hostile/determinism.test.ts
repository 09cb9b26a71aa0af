/**
 * Same input, same bytes: two catalog runs over the hostile corpus write identical `api/` trees
 * (trust files and exports included) and site data files (no timestamps, stable order, stable hashes), whatever the input holds.
 */
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { writeOutputs } from '../../src/lib/pipeline.ts';
import { writeSiteCatalog } from '../../src/lib/site/catalog.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { removeCorpora, writeHostileCorpus } from './corpus.ts';
import { BOUND_MS, hostileCatalog, treeHashes } from './run.ts';

afterAll(removeCorpora);

describe('determinism', { timeout: BOUND_MS }, () => {
  test('two catalog runs over the same input write byte-identical api/ trees and catalog files', async () => {
    const corpus = writeHostileCorpus();
    const outs = [path.join(corpus.root, 'one'), path.join(corpus.root, 'two')];
    for (const out of outs) {
      const { catalog } = await hostileCatalog(corpus);
      await writeOutputs(catalog, { dir: out, out, work: out });
      await writeSiteCatalog(catalog, analyzeTrust(catalog), path.join(out, 'catalog.json'));
    }
    const [one, two] = outs.map(treeHashes);
    expect(Object.keys(one!).length).toBeGreaterThan(50);
    expect(two).toEqual(one);
  });
});
