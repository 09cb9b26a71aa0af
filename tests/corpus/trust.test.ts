/**
 * Trust figures of the full corpus: links per confidence tier, Atomic references per health
 * verdict, gap counts, tombstones and redirects. Printed for the record; the assertions only
 * pin what must hold whatever the corpus version.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { analyzeTrust, type Trust } from '../../src/lib/trust/analyze.ts';
import { healthCounts } from '../../src/lib/trust/api.ts';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { countByTier } from '../../src/lib/trust/confidence.ts';
import { indexTests, parseAtomicReference } from '../../src/lib/xref/atomic-reference.ts';
import { checkReference } from '../../src/lib/trust/health.ts';
import { corpusPaths, hasCorpus } from './corpus.ts';

describe.skipIf(!hasCorpus)('trust figures of the full corpus', () => {
  let catalog: Catalog;
  let trust: Trust;
  beforeAll(async () => {
    catalog = await runCatalog({ sigma: [corpusPaths.sigma], atomics: corpusPaths.atomics, attack: corpusPaths.attack });
    const start = performance.now();
    trust = analyzeTrust(catalog);
    const g = trust.gaps;
    const byReason = (list: { reason: string }[]) =>
      Object.entries(Object.groupBy(list, (x) => x.reason))
        .map(([k, v]) => `${k} ${v!.length}`)
        .join(', ');
    console.log(
      [
        `trust analysis in ${((performance.now() - start) / 1000).toFixed(2)} s`,
        `rule ↔ test links per tier: ${JSON.stringify(countByTier(trust.testLinks))}`,
        `rule ↔ technique links per tier: ${JSON.stringify(countByTier(trust.techniqueLinks))}`,
        `Atomic references: ${JSON.stringify(healthCounts(trust.references))}`,
        `gaps: techniques with tests but no rule ${g.techniques.items.length}/${g.techniques.total}; tests with no linked or predicted rule ${g.tests.items.length}/${g.tests.total} (no rule at all ${g.tests.noRuleAtAll.length}); rules with no linked or predicted test ${g.rules.items.length}/${g.rules.total} (no test at all ${g.rules.noTestAtAll.length})`,
        `tests gaps by tactic: ${g.tests.byTactic.map((f) => `${f.id || 'none'} ${f.gaps.length}/${f.total}`).join(', ')}`,
        `tests gaps by platform: ${g.tests.byPlatform.map((f) => `${f.id || 'none'} ${f.gaps.length}/${f.total}`).join(', ')}`,
        `tombstones: ${byReason(trust.tombstones)} (${trust.tombstones.filter((t) => t.replacements.some((r) => r.active)).length} with an active replacement)`,
        `redirects: ${byReason(trust.redirects)}`,
      ].join('\n'),
    );
  });

  test('every rule ↔ test link of the catalog has a tier, the explicit ones tier 2 (no observed records here)', () => {
    const explicit = catalog.rules.reduce((n, r) => n + r.tests.length, 0);
    expect(countByTier(trust.testLinks)[2]).toBe(explicit);
    const tagged = catalog.rules.reduce((n, r) => n + r.techniques.length, 0);
    expect(trust.techniqueLinks.length).toBeGreaterThanOrEqual(tagged);
  });

  test('every Atomic reference is judged; unresolved ones are the catalog\u2019s unresolved references', () => {
    const counts = healthCounts(trust.references);
    expect(counts.resolvedBy.none).toBe(catalog.unresolvedReferences.length);
    expect(counts.problems.renumbered).toBeGreaterThan(0);
    expect(counts.problems['technique-gone']).toBeGreaterThan(0);
  });

  test('every fix resolves by name with no problem left', () => {
    const index = indexTests(catalog.tests);
    const stillWrong = trust.references
      .filter((r) => r.fix && r.number !== undefined)
      .map((r) => ({ url: r.url, fix: r.fix!, again: checkReference(parseAtomicReference(r.fix!)!, { index }) }))
      .filter((r) => r.again.resolvedBy !== 'name' || r.again.problem);
    expect(stillWrong).toEqual([]);
  });

  test('redirects never shadow a page', () => {
    const pages = new Set([...catalog.rules.map((r) => r.url), ...trust.tombstones.map((t) => t.url)]);
    expect(trust.redirects.filter((r) => pages.has(r.from))).toEqual([]);
  });
});
