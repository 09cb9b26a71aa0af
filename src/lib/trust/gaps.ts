/**
 * What is not covered: techniques with Atomic tests but no linked or predicted rule, tests no rule
 * is linked to or predicted for, and rules no test exercises, each counted per tactic and per platform.
 * Only active rules cover anything; deprecated and unsupported ones are kept for reference.
 */
import { compareStrings } from '../order.ts';
import type { TechniqueLink, TestLink } from './confidence.ts';
import type { Catalog, CatalogRule, CatalogTechnique, CatalogTest } from '../catalog/types.ts';

/** One tactic or platform: the items with the gap among all items it holds. */
export interface GapFacet {
  /** Tactic short name or platform key; '' for none. */
  id: string;
  gaps: string[];
  total: number;
}

export interface GapSet {
  /** Technique ids, test guids or rule slugs with the gap, sorted. */
  items: string[];
  /** How many could have it (techniques with tests, tests, active detection rules). */
  total: number;
  byTactic: GapFacet[];
  byPlatform: GapFacet[];
}

export interface Gaps {
  /** Techniques with Atomic tests and no active rule linked to them at any tier. */
  techniques: GapSet & {
    /**
     * Techniques with Atomic tests that no active rule is tagged with (nor with a sub-technique of):
     * the gaps, and those reached only by rules of other techniques predicted for their tests.
     */
    untagged: string[];
  };
  /** Tests with no active rule observed, linked (test or technique reference on its platform) or predicted: tiers 1–4. */
  tests: GapSet & { /** …nor even sharing their ATT&CK tag. */ noRuleAtAll: string[] };
  /** Active detection rules with no linked or predicted test. */
  rules: GapSet & { /** …nor even a test sharing one of their tags. */ noTestAtAll: string[] };
}

export type GapKind = keyof Gaps;
export const GAP_KINDS: readonly GapKind[] = ['techniques', 'tests', 'rules'];

interface Facets {
  tactics: string[];
  platforms: string[];
}

function facetSet<T>(
  items: T[],
  key: (item: T) => string,
  facets: (item: T) => Facets,
  hasGap: (item: T) => boolean,
  tacticOrder: Map<string, number>,
): GapSet {
  const tactic = new Map<string, GapFacet>();
  const platform = new Map<string, GapFacet>();
  const bump = (map: Map<string, GapFacet>, id: string, item: string, gap: boolean) => {
    let f = map.get(id);
    if (!f) map.set(id, (f = { id, gaps: [], total: 0 }));
    f.total += 1;
    if (gap) f.gaps.push(item);
  };
  const gaps: string[] = [];
  for (const item of items) {
    const k = key(item);
    const gap = hasGap(item);
    if (gap) gaps.push(k);
    const f = facets(item);
    for (const t of f.tactics.length ? f.tactics : ['']) bump(tactic, t, k, gap);
    for (const p of f.platforms.length ? f.platforms : ['']) bump(platform, p, k, gap);
  }
  const sortGaps = (list: GapFacet[]) => list.map((f) => ({ ...f, gaps: f.gaps.sort(compareStrings) }));
  const rank = (id: string) => (id === '' ? 1e9 : (tacticOrder.get(id) ?? 1e6));
  return {
    items: gaps.sort(compareStrings),
    total: items.length,
    byTactic: sortGaps([...tactic.values()]).sort((a, b) => rank(a.id) - rank(b.id) || compareStrings(a.id, b.id)),
    byPlatform: sortGaps([...platform.values()]).sort((a, b) => Number(a.id === '') - Number(b.id === '') || compareStrings(a.id, b.id)),
  };
}

const platformKey = (p: string) => p.trim().toLowerCase().replace(/\s+/g, '-');
const unique = (list: string[]) => [...new Set(list)];

export function findGaps(catalog: Pick<Catalog, 'rules' | 'tests' | 'techniques' | 'tactics'>, testLinks: TestLink[], techniqueLinks: TechniqueLink[]): Gaps {
  const active = new Set(catalog.rules.filter((r) => r.active).map((r) => r.slug));
  const technique = new Map(catalog.techniques.map((t) => [t.id, t]));
  const tacticOrder = new Map(catalog.tactics.map((t) => [t.id, t.order]));
  const tacticsOf = (id: string): string[] => {
    const t = technique.get(id);
    if (!t) return [];
    return t.tactics.length || !t.parent ? t.tactics : (technique.get(t.parent)?.tactics ?? []);
  };

  // Best tier of an active rule per test, per rule, per technique.
  const bestByTest = new Map<string, number>();
  const bestByRule = new Map<string, number>();
  for (const l of testLinks) {
    if (!active.has(l.rule)) continue;
    bestByTest.set(l.test, Math.min(bestByTest.get(l.test) ?? 9, l.tier));
    bestByRule.set(l.rule, Math.min(bestByRule.get(l.rule) ?? 9, l.tier));
  }
  const covered = new Set(techniqueLinks.filter((l) => active.has(l.rule)).map((l) => l.technique));
  for (const t of catalog.techniques) if ([...t.rules, ...t.referencingRules].some((s) => active.has(s))) covered.add(t.id);

  const testPlatforms = new Map<string, string[]>();
  for (const t of catalog.tests) testPlatforms.set(t.technique, unique([...(testPlatforms.get(t.technique) ?? []), ...t.platforms.map(platformKey)]));

  const techniques = facetSet(
    catalog.techniques.filter((t) => t.tests.length > 0),
    (t: CatalogTechnique) => t.id,
    (t) => ({ tactics: tacticsOf(t.id), platforms: testPlatforms.get(t.id) ?? [] }),
    (t) => !covered.has(t.id),
    tacticOrder,
  );
  const tests = facetSet(
    catalog.tests,
    (t: CatalogTest) => t.guid,
    (t) => ({ tactics: tacticsOf(t.technique), platforms: unique(t.platforms.map(platformKey)) }),
    (t) => (bestByTest.get(t.guid) ?? 9) > 4,
    tacticOrder,
  );
  const detectionRules = catalog.rules.filter((r) => r.active && r.kind === 'rule');
  const rules = facetSet(
    detectionRules,
    (r: CatalogRule) => r.slug,
    (r) => ({
      tactics: r.tactics.length ? r.tactics : unique(r.techniques.flatMap(tacticsOf)),
      platforms: r.logsource.product ? [platformKey(r.logsource.product)] : [],
    }),
    (r) => (bestByRule.get(r.slug) ?? 9) > 4,
    tacticOrder,
  );
  const tagged = new Set(catalog.techniques.filter((t) => t.rules.some((slug) => active.has(slug))).map((t) => t.id));
  return {
    techniques: {
      ...techniques,
      untagged: catalog.techniques
        .filter((t) => t.tests.length > 0 && !tagged.has(t.id))
        .map((t) => t.id)
        .sort(compareStrings),
    },
    tests: { ...tests, noRuleAtAll: tests.items.filter((g) => (bestByTest.get(g) ?? 9) > 5) },
    rules: { ...rules, noTestAtAll: rules.items.filter((s) => (bestByRule.get(s) ?? 9) > 5) },
  };
}
