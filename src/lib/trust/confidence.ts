/**
 * Confidence tiers of rule ↔ test and rule ↔ technique links. A link can rest on several kinds
 * of evidence; its tier is the strongest of them, in this order:
 *   1. the rule was observed firing when the test really ran (records imported with --observed);
 *   2. the rule references the test (an Atomic link with the test's anchor);
 *   3. the evaluator predicts the rule fires on the test;
 *   4. the rule references the technique (a technique-level Atomic link);
 *   5. the rule and the test only share an ATT&CK technique tag.
 * Tiers 4 and 5 say nothing about the test itself, so they count only when the rule's log source
 * can see one of the test's platforms (xref/platforms.ts); otherwise the link is tier 6, "same
 * technique, other platform": listed apart, never coverage.
 */
import type { LogSource } from '../sigma/logsource.ts';
import { compareStrings } from '../order.ts';
import { platformOf, ruleSeesPlatforms, seesAny } from '../xref/platforms.ts';

export type Tier = 1 | 2 | 3 | 4 | 5 | 6;
export type LinkBasis = 'observed' | 'test-reference' | 'predicted' | 'technique-reference' | 'shared-tag';
/** What a tier stands for: its strongest evidence, or a technique-level link to another platform. */
export type TierKind = LinkBasis | 'other-platform';

export interface TierInfo {
  tier: Tier;
  basis: TierKind;
  /** Short badge text. */
  label: string;
  /** One sentence for the legend and the badge's title. */
  description: string;
}

export const TIERS: readonly TierInfo[] = [
  { tier: 1, basis: 'observed', label: 'observed', description: 'The rule was observed firing when the test really ran (imported run records).' },
  { tier: 2, basis: 'test-reference', label: 'test ref', description: 'The rule references this Atomic test explicitly (a link to the test).' },
  { tier: 3, basis: 'predicted', label: 'predicted', description: 'Evaluation predicts the rule fires on the events the test produces.' },
  {
    tier: 4,
    basis: 'technique-reference',
    label: 'technique ref',
    description: "The rule references the technique's Atomic page (not one test), and its log source can see the test's platform.",
  },
  {
    tier: 5,
    basis: 'shared-tag',
    label: 'tag only',
    description: "The rule and the test only share an ATT&CK technique tag, on a platform the rule's log source can see.",
  },
  {
    tier: 6,
    basis: 'other-platform',
    label: 'other platform',
    description: "Same technique (tag or technique reference), but the rule's log source cannot see the test's platforms: not coverage.",
  },
];

const TIER_OF: Record<LinkBasis, Tier> = { observed: 1, 'test-reference': 2, predicted: 3, 'technique-reference': 4, 'shared-tag': 5 };

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

/** What linking reads of a rule (a catalog rule is one): its explicit references, tags and evidence. */
interface RuleInput {
  slug: string;
  /** Test guids the rule references. */
  tests: string[];
  referencedTechniques: string[];
  /** Technique ids from its ATT&CK tags. */
  techniques: string[];
  predictedTests?: string[];
  logsource?: LogSource;
  observedTests?: string[];
}

/** What linking reads of an Atomic test (a catalog test is one). */
interface TestInput {
  guid: string;
  technique: string;
  /** Rule slugs predicted to fire. */
  predicted?: string[];
  platforms?: string[];
  observed?: { rule: string }[];
}

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

/** Pairs from both sides of the catalog (rule.xTests, test.x), for rules it holds. */
function pairsOf(
  rules: RuleInput[],
  tests: TestInput[],
  ofRule: (r: RuleInput) => string[] | undefined,
  ofTest: (t: TestInput) => string[] | undefined,
): [string, string][] {
  const known = new Set(rules.map((r) => r.slug));
  return [
    ...rules.flatMap((r) => (ofRule(r) ?? []).map((g): [string, string] => [r.slug, g])),
    ...tests.flatMap((t) => (ofTest(t) ?? []).filter((s) => known.has(s)).map((s): [string, string] => [s, t.guid])),
  ];
}

/** Observed (rule, test) pairs from both sides of the catalog (rule.observedTests, test.observed). */
function observedPairs(rules: RuleInput[], tests: TestInput[]): [string, string][] {
  return pairsOf(
    rules,
    tests,
    (r) => r.observedTests,
    (t) => t.observed?.map((o) => o.rule),
  );
}

/** Predicted (rule, test) pairs from both sides of the catalog (rule.predictedTests, test.predicted), for rules it holds. */
function predictedPairs(rules: RuleInput[], tests: TestInput[]): [string, string][] {
  return pairsOf(
    rules,
    tests,
    (r) => r.predictedTests,
    (t) => t.predicted,
  );
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
  for (const [slug, g] of observedPairs(rules, tests)) if (known.has(g)) evidence.add(slug, g, 'observed');
  const seesOf = new Map(rules.map((r) => [r.slug, ruleSeesPlatforms(r.logsource ?? {})]));
  const platformsOf = new Map(tests.map((t) => [t.guid, (t.platforms ?? []).map(platformOf)]));
  const links: TestLink[] = [];
  for (const [rule, test, basis, strongest] of evidence.entries()) {
    // Technique-level evidence only counts where the rule's log source can see the test's platform.
    const tier: Tier = strongest >= 4 && !seesAny(seesOf.get(rule), platformsOf.get(test)!) ? 6 : strongest;
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
  for (const [slug, g] of observedPairs(rules, tests)) {
    const id = techniqueOf.get(g);
    if (id) evidence.add(slug, id, 'observed');
  }
  return [...evidence.entries()].map(([rule, technique, basis, tier]) => ({ rule, technique, tier, basis }));
}

/** Links per tier: { 1: n, …, 6: n }. */
export function countByTier(links: { tier: Tier }[]): Record<Tier, number> {
  const counts: Record<Tier, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0 };
  for (const l of links) counts[l.tier] += 1;
  return counts;
}
