/**
 * View model of a test page's rules: the coverage line, the links grouped by tier (strong links
 * in a table, tag-only and other-platform ones folded), and the observed firing and its agreement
 * with the predictions, rule slugs resolved to rules where the catalog has them.
 */
import type { CatalogRule, CatalogTest } from '../catalog/types.ts';
import { agreement } from '../observed/calibration.ts';
import type { Tier } from '../trust/confidence.ts';
import type { SiteModel } from './model.ts';
import { ROWS_OPEN, type RuleRow } from './trust-views.ts';

/** A rule named by slug, with the rule when the catalog has it (a record may name one it lacks). */
export interface NamedRule {
  slug: string;
  rule?: CatalogRule;
}

export interface ObservedRule extends NamedRule {
  date?: string;
  source?: string;
}

export interface TestRulesView {
  /** Observed, referenced, predicted and technique-referencing links (tiers 1–4), in the given order. */
  strong: RuleRow[];
  /** The first strong rows shown open; the rest go in a fold. */
  strongOpen: CatalogRule[];
  strongFolded: CatalogRule[];
  /** Tier of each strong row's link, for the table badges. */
  strongTiers: Map<string, Tier>;
  /** Rules that only share the test's ATT&CK tag (tier 5). */
  tagOnly: CatalogRule[];
  /** Rules of the same technique whose log source cannot see the test's platforms (tier 6). */
  otherPlatform: CatalogRule[];
  /** Run records of the test; undefined when it has none. */
  observed?: ObservedRule[];
  /** How the observed firing compares with the predictions; undefined without run records. */
  agreement?: { both: number; observedNotPredicted: NamedRule[]; predictedNotObserved: NamedRule[] };
}

/** Strong rows past twice ROWS_OPEN are folded. */
export const STRONG_OPEN = ROWS_OPEN * 2;

export function testRulesView(model: SiteModel, test: CatalogTest, rules: RuleRow[]): TestRulesView {
  const named = (slug: string): NamedRule => {
    const rule = model.rule(slug);
    return rule ? { slug, rule } : { slug };
  };
  const strong = rules.filter((r) => r.link.tier <= 4);
  const view: TestRulesView = {
    strong,
    strongOpen: strong.slice(0, STRONG_OPEN).map((r) => r.rule),
    strongFolded: strong.slice(STRONG_OPEN).map((r) => r.rule),
    strongTiers: new Map(strong.map((r) => [r.rule.slug, r.link.tier])),
    tagOnly: rules.filter((r) => r.link.tier === 5).map((r) => r.rule),
    otherPlatform: rules.filter((r) => r.link.tier === 6).map((r) => r.rule),
  };
  if (test.observed) {
    view.observed = test.observed.map((o) => ({
      ...named(o.rule),
      ...(o.date !== undefined && { date: o.date }),
      ...(o.source !== undefined && { source: o.source }),
    }));
  }
  const agree = agreement(test);
  if (agree) {
    view.agreement = {
      both: agree.both.length,
      observedNotPredicted: agree.observedNotPredicted.map(named),
      predictedNotObserved: agree.predictedNotObserved.map(named),
    };
  }
  return view;
}

export interface TestCoverage {
  ok: boolean;
  text: string;
}

/** The test page's coverage line, from the strongest tier among its active rules' links. */
export function testCoverage(rules: RuleRow[], coverage: Tier | undefined): TestCoverage {
  const active = (tier: number) => rules.filter((r) => r.link.tier === tier && r.rule.active).length;
  const rulesText = (n: number) => (n === 1 ? '1 active rule' : `${n} active rules`);
  switch (coverage) {
    case 1:
      return { ok: true, text: `Covered: ${rulesText(active(1))} ${active(1) === 1 ? 'was' : 'were'} observed firing when the test really ran.` };
    case 2:
      return { ok: true, text: `Covered: ${rulesText(active(2))} reference${active(2) === 1 ? 's' : ''} this test explicitly.` };
    case 3:
      return { ok: true, text: 'Covered by prediction: rules are predicted to fire on this test, none references it.' };
    case 4:
      return {
        ok: true,
        text: `Covered: ${rulesText(active(4))} reference${active(4) === 1 ? 's' : ''} its technique's Atomic page on this platform; none references this test itself or is predicted.`,
      };
    case 5:
      return { ok: false, text: `Not referenced by any rule; ${rulesText(active(5))} only share${active(5) === 1 ? 's' : ''} its ATT&CK tag.` };
    case 6:
      return {
        ok: false,
        text: `No rule for its platform: ${rulesText(active(6))} of the same technique watch${active(6) === 1 ? 'es' : ''} other platforms only.`,
      };
    default:
      return { ok: false, text: 'No rule covers this test: none references it, none is predicted to fire, and no active rule shares its ATT&CK tag.' };
  }
}

/** The rules predicted to fire on the test (any tier whose basis includes a prediction), by slug. */
export function predictedRules(rules: RuleRow[]): Map<string, CatalogRule> {
  return new Map(rules.filter((r) => r.link.basis.includes('predicted')).map((r) => [r.rule.slug, r.rule]));
}
