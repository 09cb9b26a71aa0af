/**
 * Trust is derived once, by the pipeline, into the site's data file; the pages, the redirect pages
 * and api/ read that. The catalog is not changed by the stages after it is built.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { withPredictions } from '../../src/lib/catalog/predictions.ts';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { toJson } from '../../src/lib/catalog/write.ts';
import type { Prediction } from '../../src/lib/predict/predict.ts';
import { loadCatalog, writeSiteCatalog } from '../../src/lib/site/catalog.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import { gapItems } from '../../src/lib/site/trust-views.ts';
import { writeOutputs } from '../../src/lib/pipeline.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';

// Counts the derivations: the pipeline's, and any a reader might add.
vi.mock('../../src/lib/trust/analyze.ts', async (original) => {
  const actual = await original<typeof import('../../src/lib/trust/analyze.ts')>();
  return { ...actual, analyzeTrust: vi.fn(actual.analyzeTrust) };
});
import { fixtureCatalog } from '../site/fixture-site.ts';

const read = () => JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
const work = mkdtempSync(path.join(tmpdir(), 'atlas-trust-once-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the site data file', () => {
  it('is the catalog with its trust data as the last key; the text returned is the catalog alone', async () => {
    const catalog = read();
    const trust = analyzeTrust(catalog);
    const file = path.join(work, 'site', 'catalog.json');
    const text = await writeSiteCatalog(catalog, trust, file);
    expect(text).toBe(toJson(catalog, false));
    const written = readFileSync(file, 'utf8');
    expect(written.endsWith('}\n')).toBe(true);
    expect(JSON.parse(written)).toEqual(JSON.parse(JSON.stringify({ ...catalog, trust })));
    expect(Object.keys(JSON.parse(written)).at(-1)).toBe('trust');
    expect(loadCatalog(file).trust.tombstones).toHaveLength(trust.tombstones.length);
  });

  it('a catalog file without trust data is refused with a message, not derived again', async () => {
    const file = path.join(work, 'plain.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, toJson(read(), false)));
    expect(() => loadCatalog(file)).toThrow(/has no trust data/);
  });
});

describe('trust data', () => {
  it('holds the redirect pages beside the api redirects: revoked techniques go to their replacement', () => {
    const catalog = read();
    const [first, second] = catalog.techniques;
    const revoked = { ...first!, revoked: true, revokedBy: second!.id };
    const trust = analyzeTrust({ ...catalog, techniques: [revoked, ...catalog.techniques.slice(1)] });
    expect(trust.pageRedirects).toContainEqual({ from: revoked.url, to: second!.url, reason: 'revoked-technique' });
    expect(trust.redirects.every((r) => r.reason === 'file-name' || r.reason === 'replaced-id')).toBe(true);
  });

  it('the gap rows of a list are resolved once for all its pages', () => {
    const catalog = read();
    const model = buildModel({ ...catalog, trust: analyzeTrust(catalog) });
    const ids = model.trust.gaps.tests.items;
    expect(ids.length).toBeGreaterThan(0);
    expect(gapItems(model, 'tests', ids)).toBe(gapItems(model, 'tests', ids));
    expect(
      gapItems(model, 'tests', ids)
        .tests.map((t) => t.test.guid)
        .sort(),
    ).toEqual([...ids].sort());
  });
});

describe('stages after the catalog', () => {
  it('withPredictions gives a new catalog and leaves the one it was given as it was', () => {
    const catalog = read();
    const before = structuredClone(catalog);
    const test = catalog.tests[0]!;
    const rule = catalog.rules[0]!;
    const prediction = {
      rule: rule.slug,
      ruleId: rule.id,
      test: test.guid,
      event: { origin: 'x', fields: {} },
      explanation: { identifiers: [] },
    } as unknown as Prediction;
    const after = withPredictions(catalog, [prediction], new Map([[test.guid, ['payload not available: x']]]));
    expect(catalog).toEqual(before);
    expect(after.tests[0]!.predicted).toEqual([rule.slug]);
    expect(after.tests[0]!.payloadNotes).toEqual(['payload not available: x']);
    expect(after.rules[0]!.predictedTests).toEqual([test.guid]);
  });
});

describe('a build', () => {
  it('derives the trust data once: the pages (site model), the redirect pages and api/ read it', async () => {
    const derive = vi.mocked(analyzeTrust);
    derive.mockClear();
    const dir = path.join(work, 'out');
    const { writeRedirects } = await import('../../src/lib/site/redirects.ts');
    await writeOutputs(read(), {
      dir,
      out: dir,
      work: path.join(work, 'work'),
      // What scripts/site.ts does with the data file, without Astro: the model the pages read, and the redirect pages.
      renderSite: async (catalogFile, outDir) => {
        const site = loadCatalog(catalogFile);
        buildModel(site);
        await writeRedirects(outDir, [...site.trust.redirects, ...site.trust.pageRedirects], '/');
        return { pages: 0 };
      },
    });
    expect(derive).toHaveBeenCalledTimes(1);
    expect(readFileSync(path.join(dir, 'api', 'redirects.json'), 'utf8').length).toBeGreaterThan(2);
  });
});
