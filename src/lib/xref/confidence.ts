/**
 * Confidence tiers of rule ↔ test and rule ↔ technique links. A link can rest on several kinds
 * of evidence; its tier is the strongest of them:
 *   1. the rule references the test (an Atomic link with the test's anchor);
 *   2. the rule references the technique (a technique-level Atomic link);
 *   3. the evaluator predicts the rule fires on the test;
 *   4. the rule and the test only share an ATT&CK technique tag.
 */
import type { CatalogRule, CatalogTest } from '../catalog/types.ts';
import { compareStrings } from '../order.ts';

export type Tier = 1 | 2 | 3 | 4;
export type LinkBasis = 'test-reference' | 'technique-reference' | 'predicted' | 'shared-tag';

export interface TierInfo {
  tier: Tier;
  basis: LinkBasis;
  /** Short badge text. */
  label: string;
  /** One sentence for the legend and the badge's title. */
  description: string;
}

export const TIERS: readonly TierInfo[] = [
  { tier: 1, basis: 'test-reference', label: 'test ref', description: 'The rule references this Atomic test explicitly (a link to the test).' },
  { tier: 2, basis: 'technique-reference', label: 'technique ref', description: "The rule references the technique's Atomic page explicitly, not one test." },
  { tier: 3, basis: 'predicted', label: 'predicted', description: "Evaluation predicts the rule fires on the events the test produces." },
  { tier: 4, basis: 'shared-tag', label: 'tag only', description: 'The rule and the test only share an ATT&CK technique tag.' },
];

const TIER_OF: Record<LinkBasis, Tier> = { 'test-reference': 1, 'technique-reference': 2, predicted: 3, 'shared-tag': 4 };

export function tierInfo(tier: Tier): TierInfo {
  return TIERS[tier - 1]!;
}

export interface TestLink {
  rule: string;
  test: string;
  tier: Tier;
  /** Every kind of evidence for the link, strongest first. */
  basis: LinkBasis[];
  /** Why the evaluator predicts a match, when it does and says why. */
  explanation?: string;
}

export interface TechniqueLink {
  rule: string;
  technique: string;
  tier: Tier;
  basis: LinkBasis[];
}

/** Explanation of a predicted (rule, test) match, when the evaluator's data has one. */
export type Explain = (rule: string, test: string) => string | undefined;

type RuleInput = Pick<CatalogRule, 'slug' | 'tests' | 'referencedTechniques' | 'techniques' | 'predictedTests'>;
type TestInput = Pick<CatalogTest, 'guid' | 'technique' | 'predicted'>;

/** Collects evidence per (a, b) pair, then turns it into tiered links. */
class Evidence {
  private readonly pairs = new Map<string, Map<string, Set<LinkBasis>>>();

  add(a: string, b: string, basis: LinkBasis): void {
    let inner = this.pairs.get(a);
    if (!inner) this.pairs.set(a, (inner = new Map()));
    let set = inner.get(b);
    if (!set) inner.set(b, (set = new Set()));
    set.add(basis);
  }

  *entries(): Generator<[string, string, LinkBasis[], Tier]> {
    for (const a of [...this.pairs.keys()].sort(compareStrings)) {
      const inner = this.pairs.get(a)!;
      for (const b of [...inner.keys()].sort(compareStrings)) {
        const basis = [...inner.get(b)!].sort((x, y) => TIER_OF[x] - TIER_OF[y]);
        yield [a, b, basis, TIER_OF[basis[0]!]];
      }
    }
  }
}

function testsByTechnique(tests: TestInput[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const t of tests) map.set(t.technique, [...(map.get(t.technique) ?? []), t.guid]);
  return map;
}

/** Predicted (rule, test) pairs from both sides of the catalog (rule.predictedTests, test.predicted), for rules it holds. */
function predictedPairs(rules: RuleInput[], tests: TestInput[]): [string, string][] {
  const known = new Set(rules.map((r) => r.slug));
  return [
    ...rules.flatMap((r) => (r.predictedTests ?? []).map((g): [string, string] => [r.slug, g])),
    ...tests.flatMap((t) => (t.predicted ?? []).filter((s) => known.has(s)).map((s): [string, string] => [s, t.guid])),
  ];
}

/** Every rule ↔ test link with its tier, sorted by rule then test. */
export function linkRulesToTests(rules: RuleInput[], tests: TestInput[], explain?: Explain): TestLink[] {
  const byTechnique = testsByTechnique(tests);
  const known = new Set(tests.map((t) => t.guid));
  const evidence = new Evidence();
  for (const r of rules) {
    for (const g of r.tests) if (known.has(g)) evidence.add(r.slug, g, 'test-reference');
    for (const id of r.referencedTechniques) for (const g of byTechnique.get(id) ?? []) evidence.add(r.slug, g, 'technique-reference');
    for (const id of r.techniques) for (const g of byTechnique.get(id) ?? []) evidence.add(r.slug, g, 'shared-tag');
  }
  for (const [slug, g] of predictedPairs(rules, tests)) if (known.has(g)) evidence.add(slug, g, 'predicted');
  const links: TestLink[] = [];
  for (const [rule, test, basis, tier] of evidence.entries()) {
    const link: TestLink = { rule, test, tier, basis };
    const why = basis.includes('predicted') ? explain?.(rule, test) : undefined;
    if (why) link.explanation = why;
    links.push(link);
  }
  return links;
}

/** Every rule ↔ technique link with its tier, sorted by rule then technique. */
export function linkRulesToTechniques(rules: RuleInput[], tests: TestInput[]): TechniqueLink[] {
  const techniqueOf = new Map(tests.map((t) => [t.guid, t.technique]));
  const evidence = new Evidence();
  for (const r of rules) {
    for (const g of r.tests) {
      const id = techniqueOf.get(g);
      if (id) evidence.add(r.slug, id, 'test-reference');
    }
    for (const id of r.referencedTechniques) evidence.add(r.slug, id, 'technique-reference');
    for (const id of r.techniques) evidence.add(r.slug, id, 'shared-tag');
  }
  for (const [slug, g] of predictedPairs(rules, tests)) {
    const id = techniqueOf.get(g);
    if (id) evidence.add(slug, id, 'predicted');
  }
  return [...evidence.entries()].map(([rule, technique, basis, tier]) => ({ rule, technique, tier, basis }));
}

/** Links per tier: { 1: n, 2: n, 3: n, 4: n }. */
export function countByTier(links: { tier: Tier }[]): Record<Tier, number> {
  const counts: Record<Tier, number> = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const l of links) counts[l.tier] += 1;
  return counts;
}
