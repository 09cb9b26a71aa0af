/**
 * View model of a rule page's Atomic tests: the first rows open, the rest folded one list per
 * tier, the observed record behind each tier-1 row, and the technique page each technique-level
 * group links to.
 */
import type { CatalogRule, ObservedFiring } from '../catalog/types.ts';
import type { Tier } from '../trust/confidence.ts';
import type { SiteModel } from './model.ts';
import { ROWS_OPEN, type RuleTestsView, type TechniqueTests, type TestRow } from './trust-views.ts';
import { link } from './urls.ts';

export interface OpenTestRow extends TestRow {
  /** The run record of the rule firing on the test (tier-1 rows only). */
  seen?: ObservedFiring;
}

export interface TechniqueGroup extends TechniqueTests {
  /** The technique page's tests section; undefined when the catalog has no such technique. */
  href?: string;
}

export interface RuleTestsPanel {
  open: OpenTestRow[];
  /** Rows past the open ones: one list per tier, tiers in order of first appearance. */
  foldedByTier: Array<{ tier: Tier; rows: TestRow[] }>;
  techniques: TechniqueGroup[];
  otherPlatform: TechniqueGroup[];
  /** Tests in the other-platform groups. */
  otherPlatformTests: number;
  /** No test is linked at all. */
  empty: boolean;
}

/** What a technique-level group of each tier means, after "N tests of T…: ". */
export const TECHNIQUE_GROUP_MEANING: Record<number, string> = {
  4: 'the rule references its Atomic page',
  5: "they only share the rule's ATT&CK tag",
  6: "same technique, but on platforms the rule's log source cannot see",
};

export function ruleTestsPanel(model: SiteModel, rule: CatalogRule, tests: RuleTestsView): RuleTestsPanel {
  const folded = tests.rows.slice(ROWS_OPEN);
  const withHref = (g: TechniqueTests): TechniqueGroup => {
    const t = model.technique(g.technique);
    return t ? { ...g, href: `${link(t)}#tests` } : g;
  };
  return {
    open: tests.rows.slice(0, ROWS_OPEN).map((row) => {
      const seen = row.link.tier === 1 ? model.test(row.test.guid)?.observed?.find((o) => o.rule === rule.slug) : undefined;
      return seen ? { ...row, seen } : row;
    }),
    foldedByTier: [...new Set(folded.map((r) => r.link.tier))].map((tier) => ({ tier, rows: folded.filter((r) => r.link.tier === tier) })),
    techniques: tests.techniques.map(withHref),
    otherPlatform: tests.otherPlatform.map(withHref),
    otherPlatformTests: tests.otherPlatform.reduce((n, g) => n + g.tests.length, 0),
    empty: tests.rows.length === 0 && tests.techniques.length === 0 && tests.otherPlatform.length === 0,
  };
}
