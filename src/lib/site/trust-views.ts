/**
 * View models for the trust data: tiered link rows of rule, test and technique pages, the
 * tombstone of a retired rule, the reference health page and the gap pages.
 */
import type { CatalogRule, CatalogTechnique, CatalogTest } from '../catalog/types.ts';
import { GAP_KINDS, type GapFacet, type GapKind } from '../trust/gaps.ts';
import { assignSlugs, safeSegment } from '../slug.ts';
import { replacedBy, type Replaced, type Tombstone } from '../trust/tombstones.ts';
import type { RuleReferenceHealth } from '../trust/analyze.ts';
import { countByTier, tierInfo, TIERS, type Tier, type TestLink } from '../trust/confidence.ts';
import { PROBLEMS, RESOLVED_BY, type HealthProblem, type ResolvedBy } from '../trust/health.ts';
import { escapeHtml } from './html.ts';
import { platformLabel } from './labels.ts';
import { compareRules, compareTechniqueIds, type SiteModel } from './model.ts';

export interface TestRow {
  test: CatalogTest;
  link: TestLink;
}

export interface RuleRow {
  rule: CatalogRule;
  link: TestLink;
}

/** Above this many rows, a list shows the first ones and folds the rest into a `<details>`. */
export const ROWS_OPEN = 15;

const compareTests = (a: CatalogTest, b: CatalogTest) => compareTechniqueIds(a.technique, b.technique) || a.number - b.number;

/** Technique-level links of one technique: all its tests the rule is linked to at one tier. */
export interface TechniqueTests {
  tier: Tier;
  technique: string;
  tests: CatalogTest[];
}

export interface RuleTestsView {
  /** Tests the rule was observed on, references or is predicted for (tiers 1–3), strongest first: every one. */
  rows: TestRow[];
  /** Technique reference (tier 4) and shared tag (tier 5) on a platform the rule sees, per technique, every test. */
  techniques: TechniqueTests[];
  /** The same technique-level links to tests of platforms the rule cannot see (tier 6): not coverage. */
  otherPlatform: TechniqueTests[];
}

/** Every test linked to the rule, at every tier: nothing is cut, long lists fold on the page. */
export function ruleTests(model: SiteModel, rule: CatalogRule): RuleTestsView {
  const links = model.trust.testLinksOfRule(rule.slug);
  const rows = links
    .filter((l) => l.tier <= 3)
    .map((link) => ({ link, test: model.test(link.test)! }))
    .filter((r) => r.test)
    .sort((a, b) => a.link.tier - b.link.tier || compareTests(a.test, b.test));
  const perTechnique = (tiers: Tier[]): TechniqueTests[] => {
    const groups = new Map<string, TechniqueTests>();
    for (const l of links) {
      if (!tiers.includes(l.tier)) continue;
      const test = model.test(l.test);
      if (!test) continue;
      const key = `${l.tier}\u0000${test.technique}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { tier: l.tier, technique: test.technique, tests: [] }));
      g.tests.push(test);
    }
    for (const g of groups.values()) g.tests.sort(compareTests);
    return [...groups.values()].sort((a, b) => a.tier - b.tier || compareTechniqueIds(a.technique, b.technique));
  };
  return { rows, techniques: perTechnique([4, 5]), otherPlatform: perTechnique([6]) };
}

/** Every rule linked to a test, strongest link first, then active and most severe first. */
export function testRules(model: SiteModel, test: CatalogTest): RuleRow[] {
  return model.trust
    .testLinksOfTest(test.guid)
    .map((link) => ({ link, rule: model.rule(link.rule)! }))
    .filter((r) => r.rule)
    .sort((a, b) => a.link.tier - b.link.tier || compareRules(a.rule, b.rule));
}

/** The strongest tier of an active rule's link to the test, if any. */
export function bestActiveTier(rows: RuleRow[]): Tier | undefined {
  return rows.find((r) => r.rule.active)?.link.tier;
}

/**
 * Tier of each rule's link to a technique page: its links to the technique and, on a parent's
 * page, to its sub-techniques (whose rules the parent lists too).
 */
export function techniqueTiers(model: SiteModel, technique: CatalogTechnique): Map<string, Tier> {
  const tiers = new Map<string, Tier>();
  for (const id of [technique.id, ...technique.subtechniques]) {
    for (const l of model.trust.techniqueLinksOfTechnique(id)) {
      const best = tiers.get(l.rule);
      if (best === undefined || l.tier < best) tiers.set(l.rule, l.tier);
    }
  }
  return tiers;
}

/** A rule's techniques with their tier: tagged ones, and those only its references or predictions link. */
export function ruleTechniqueTiers(model: SiteModel, rule: CatalogRule): { tierOf: Map<string, Tier>; untagged: Array<{ id: string; tier: Tier }> } {
  const links = model.trust.techniqueLinksOfRule(rule.slug);
  const tierOf = new Map(links.map((l) => [l.technique, l.tier]));
  const tagged = new Set(rule.techniques);
  const untagged = links.filter((l) => !tagged.has(l.technique)).map((l) => ({ id: l.technique, tier: l.tier }));
  return { tierOf, untagged };
}

export interface TombstoneView {
  tombstone: Tombstone;
  replacements: Array<Tombstone['replacements'][number] & { rule?: CatalogRule }>;
}

export function tombstoneView(model: SiteModel, tombstone: Tombstone | undefined): TombstoneView | undefined {
  if (!tombstone) return undefined;
  return {
    tombstone,
    replacements: tombstone.replacements.map((r) => {
      const rule = model.rule(r.slug);
      return rule ? { ...r, rule } : r;
    }),
  };
}

/** Rules this one took over from: named in its `related`, or retired rules naming it. */
export function replacedRules(model: SiteModel, rule: CatalogRule): Replaced[] {
  return replacedBy(rule, model.rule, model.trust.removedById);
}

/**
 * The badge of a link's tier, as TierBadge.astro renders it. Tables and the legend above every
 * list print this string rather than a TierBadge component per row (~76,000 on the full corpus).
 */
export function tierBadgeHtml(tier: Tier): string {
  const info = tierInfo(tier);
  return `<span class="tier tier-${info.tier}">${escapeHtml(info.label)}</span>`;
}

/** Link counts per tier, for the legend. */
export function tierFigures(model: SiteModel) {
  const tests = countByTier(model.trust.testLinks);
  const techniques = countByTier(model.trust.techniqueLinks);
  return TIERS.map((t) => ({ ...t, tests: tests[t.tier], techniques: techniques[t.tier] }));
}

export const RESOLVED_LABELS: Record<ResolvedBy, string> = {
  name: 'by name',
  number: 'by number only',
  moved: 'moved (by name, elsewhere)',
  technique: 'technique only',
  none: 'not found',
};

export const PROBLEM_LABELS: Record<HealthProblem, string> = {
  renumbered: 'renumbered: number and name point at different tests',
  'test-missing': 'the test no longer exists under that name',
  'technique-gone': 'the technique folder is gone',
};

export const PROBLEM_SHORT: Record<HealthProblem, string> = {
  renumbered: 'renumbered',
  'test-missing': 'test missing',
  'technique-gone': 'technique gone',
};

export interface HealthPageView {
  total: number;
  resolvedBy: Array<{ key: ResolvedBy; label: string; count: number }>;
  problems: Array<{ key: HealthProblem; label: string; count: number; rows: Array<RuleReferenceHealth & { ruleEntity?: CatalogRule }> }>;
  healthy: number;
}

export function healthPage(model: SiteModel): HealthPageView {
  const refs = model.trust.references;
  const withRule = (r: RuleReferenceHealth) => {
    const rule = model.rule(r.rule);
    return rule ? { ...r, ruleEntity: rule } : r;
  };
  return {
    total: refs.length,
    resolvedBy: RESOLVED_BY.map((key) => ({ key, label: RESOLVED_LABELS[key], count: refs.filter((r) => r.resolvedBy === key).length })),
    problems: PROBLEMS.map((key) => {
      const rows = refs.filter((r) => r.problem === key).map(withRule);
      return { key, label: PROBLEM_LABELS[key], count: rows.length, rows };
    }),
    healthy: refs.filter((r) => !r.problem).length,
  };
}

export const GAP_TITLES: Record<GapKind, string> = {
  techniques: 'Techniques with Atomic tests but no linked or predicted rule',
  tests: 'Atomic tests with no linked or predicted rule',
  rules: 'Rules with no linked or predicted test',
};

/** For counts: "12 techniques with Atomic tests but no linked or predicted rule". */
export const GAP_COUNT_LABELS: Record<GapKind, string> = {
  techniques: 'techniques with Atomic tests but no linked or predicted rule',
  tests: 'Atomic tests with no linked or predicted rule',
  rules: 'rules with no linked or predicted test',
};

export const GAP_DESCRIPTIONS: Record<GapKind, string> = {
  techniques: 'Techniques that have Atomic Red Team tests while no active rule is tagged with them, references them or is predicted to fire on their tests.',
  tests:
    'Atomic tests that no active rule references (test or technique page) and none is predicted to fire on. Rules that only share the ATT&CK tag are counted beside each test.',
  rules:
    'Active detection rules (not correlation or filter rules) that reference no Atomic test or technique page and are predicted for none. Tests that only share an ATT&CK tag are counted beside each rule.',
};

export type GapFacetName = 'tactic' | 'platform';

export interface GapFacetPage {
  kind: GapKind;
  facet: GapFacetName;
  id: string;
  /** URL segment, unique within the kind and facet. */
  slug: string;
  label: string;
  items: string[];
  total: number;
}

export function facetLabel(model: SiteModel, facet: GapFacetName, id: string): string {
  if (facet === 'tactic') return id === '' ? 'no tactic' : (model.tactic(id)?.name ?? id);
  return id === '' ? 'no platform' : platformLabel(id);
}

/** One page per gap kind and tactic, and per gap kind and platform. */
export function gapFacetPages(model: SiteModel): GapFacetPage[] {
  const { gaps } = model.trust;
  return GAP_KINDS.flatMap((kind) => {
    const pages = (facet: GapFacetName, list: GapFacet[]): GapFacetPage[] => {
      const slugs = assignSlugs(list, (f) => safeSegment(f.id || 'none', 'none'));
      return list.map((f, i) => ({ kind, facet, id: f.id, slug: slugs[i]!, label: facetLabel(model, facet, f.id), items: f.gaps, total: f.total }));
    };
    return [...pages('tactic', gaps[kind].byTactic), ...pages('platform', gaps[kind].byPlatform)];
  });
}

/** The gaps overview: per tactic, its facet page of each gap kind (none when the kind has no gap there); per kind, its platform pages. */
export interface GapOverview {
  tactics: Array<{ label: string; cells: Array<GapFacetPage | undefined> }>;
  platforms: Record<GapKind, GapFacetPage[]>;
}

export function gapOverview(model: SiteModel): GapOverview {
  const pages = gapFacetPages(model);
  const byTactic = pages.filter((p) => p.facet === 'tactic');
  const tacticIds = [...new Set(byTactic.map((p) => p.id))];
  const cell = (kind: GapKind, id: string) => byTactic.find((p) => p.kind === kind && p.id === id);
  return {
    tactics: tacticIds.map((id) => ({
      label: (cell('techniques', id) ?? cell('tests', id) ?? cell('rules', id))!.label,
      cells: GAP_KINDS.map((kind) => cell(kind, id)),
    })),
    platforms: Object.fromEntries(GAP_KINDS.map((kind) => [kind, pages.filter((p) => p.facet === 'platform' && p.kind === kind)])) as Record<
      GapKind,
      GapFacetPage[]
    >,
  };
}

export interface GapItems {
  techniques: CatalogTechnique[];
  tests: Array<{ test: CatalogTest; sharedTag: number }>;
  rules: Array<{ rule: CatalogRule; sharedTag: number }>;
}

/** Gap lists already resolved, per model and id list: the pages of a long list share one. */
const gapItemsMemo = new WeakMap<SiteModel, WeakMap<string[], GapItems>>();

/** The entities behind a list of gap ids, in reading order, with their tag-only link counts; computed once per list. */
export function gapItems(model: SiteModel, kind: GapKind, ids: string[]): GapItems {
  let lists = gapItemsMemo.get(model);
  if (!lists) gapItemsMemo.set(model, (lists = new WeakMap()));
  let items = lists.get(ids);
  if (!items) lists.set(ids, (items = resolveGapItems(model, kind, ids)));
  return items;
}

function resolveGapItems(model: SiteModel, kind: GapKind, ids: string[]): GapItems {
  const activeTagOnly = (links: TestLink[], side: 'rule' | 'test') =>
    links.filter((l) => l.tier === 5 && (side === 'test' || model.rule(l.rule)?.active)).length;
  const items: GapItems = { techniques: [], tests: [], rules: [] };
  if (kind === 'techniques') {
    items.techniques = ids
      .map((id) => model.technique(id)!)
      .filter(Boolean)
      .sort((a, b) => compareTechniqueIds(a.id, b.id));
  } else if (kind === 'tests') {
    items.tests = ids
      .map((g) => model.test(g)!)
      .filter(Boolean)
      .sort(compareTests)
      .map((test) => ({ test, sharedTag: activeTagOnly(model.trust.testLinksOfTest(test.guid), 'rule') }));
  } else {
    items.rules = ids
      .map((s) => model.rule(s)!)
      .filter(Boolean)
      .sort(compareRules)
      .map((rule) => ({ rule, sharedTag: activeTagOnly(model.trust.testLinksOfRule(rule.slug), 'test') }));
  }
  return items;
}
