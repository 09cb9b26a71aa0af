/**
 * View models of the entity pages: everything a rule, technique or test page shows, computed
 * from the site model so the .astro files only lay it out.
 */
import { attackTechniqueUrl } from '../attack/technique-id.ts';
import type { CatalogRule, CatalogTactic, CatalogTechnique, CatalogTest, IndicatorRef } from '../catalog/types.ts';
import { countLabel, fieldSliceBitsOf, operatorLabel } from './indicators.ts';
import { logsourceLabel, platformLabel } from './labels.ts';
import { compareRules, compareTechniqueIds, type SiteModel } from './model.ts';
import { describeCondition, describeIdentifier, describeAggregation, type ConditionView, type IdentifierView } from './predicates.ts';
import { describeReferences, safeHref, type ReferenceView } from './references.ts';
import { sourceLink } from './source-link.ts';
import { sortTactics } from './matrix.ts';
import { sliceOf } from '../indicators/slices.ts';
import { notInBundleNote, outsideBundle, renumberedNamesake, sameNameSuccessor } from './provenance.ts';
import {
  bestActiveTier,
  replacedRules,
  ruleTechniqueTiers,
  ruleTests,
  techniqueTiers,
  testRules,
  tombstoneView,
  type RuleRow,
  type RuleTestsView,
  type TombstoneView,
} from './trust-views.ts';
import type { Replaced, Tombstone } from '../trust/tombstones.ts';
import type { Tier } from '../trust/confidence.ts';
import { fieldSegment, link, urls } from './urls.ts';

export interface CoverageRow {
  tactic?: CatalogTactic;
  /** Tactic short name when the catalog does not know it. */
  tacticId: string;
  techniques: Array<{ id: string; name?: string; tier?: Tier }>;
}

export interface IndicatorRow {
  /** The indicator's id (its slice on a cut field page follows from it). */
  id: string;
  field: string | null;
  operator: string;
  value: string;
  count: string;
  href: string;
  shared: boolean;
}

/** Unique indicators of a large rule, one line per field and operator (keeps big IOC rules compact). */
export interface UniqueIndicatorGroup {
  field: string | null;
  operator: string;
  values: string[];
  /** Each value's row (on the field page or one of its slices), parallel to `values`. */
  hrefs: string[];
  /** The field page, where each of them has a row. */
  href: string;
  /** The pages (the field page or its slices) that hold these rows, each once: linked even when the values are folded. */
  pages: Array<{ href: string; label: string }>;
}

/** Values of a unique-indicator group printed on a rule page; the rest are reached through the field pages and the rule source. */
export const UNIQUE_VALUES_SHOWN = 100;

/** Rows of a rule page's indicator table; the rest are counted, and listed in the rule source. */
export const INDICATOR_ROWS_SHOWN = 300;

/** Rule sources larger than this get a plain-text file of their own (`urls.ruleSource`); the page shows their head, collapsed. */
export const INLINE_SOURCE_LIMIT = 40_000;

/** Above this many indicators, a rule page lists its unique ones compactly. */
export const COMPACT_INDICATORS = 60;

export interface RelatedView {
  type: string;
  id: string;
  rule?: CatalogRule;
  /** Not in the catalog: removed (its tombstone page keeps its address). */
  removed?: Tombstone;
}

export interface RuleView {
  rule: CatalogRule;
  coverage: CoverageRow[];
  references: ReferenceView[];
  conditions: Array<{ source: string; tree: ConditionView; aggregation?: string }>;
  identifiers: IdentifierView[];
  /** Indicator table rows: all indicators, or for large rules only the shared ones (at most INDICATOR_ROWS_SHOWN). */
  indicators: IndicatorRow[];
  /** Shared indicators past the table's limit, by field and operator: listed compactly, each linked to its page. */
  moreIndicators: Array<{ field: string | null; operator: string; rows: IndicatorRow[] }>;
  /** For large rules: the indicators unique to the rule, grouped. */
  uniqueIndicators: UniqueIndicatorGroup[];
  related: RelatedView[];
  relatedFrom: RelatedView[];
  /** Atomic tests by confidence tier. */
  tests: RuleTestsView;
  /** Techniques linked by references or predictions but not tagged, with their tier. */
  untaggedTechniques: Array<{ id: string; name?: string; tier: Tier }>;
  /** Deprecated or unsupported: what replaced it. */
  tombstone?: TombstoneView;
  /** Rules this one took over from. */
  replaces: Replaced[];
  /** Rules named by a correlation or filter section, resolved by id. */
  correlated: Array<{ id: string; rules: CatalogRule[] }>;
  /** The other settings of a correlation or filter section (type, timespan, group-by …), each as one line. */
  settings: Array<[string, string]>;
  /** Shared indicators in moreIndicators. */
  moreIndicatorCount: number;
  /** Some Atomic reference of the rule has a problem (renumbered, missing, moved). */
  suspiciousReferences: boolean;
  /** The page of the rule's collection. */
  collectionHref: string;
  sourceUrl?: string;
}

function techniqueRef(model: SiteModel, id: string) {
  const t = model.technique(id);
  return t && t.name !== t.id ? { id, name: t.name } : { id };
}

export function ruleCoverage(model: SiteModel, rule: CatalogRule, tierOf: Map<string, Tier> = new Map()): CoverageRow[] {
  const rows = new Map<string, CoverageRow>();
  const row = (tacticId: string) => {
    let r = rows.get(tacticId);
    if (!r) {
      const tactic = model.tactic(tacticId);
      r = tactic ? { tactic, tacticId, techniques: [] } : { tacticId, techniques: [] };
      rows.set(tacticId, r);
    }
    return r;
  };
  for (const t of rule.tactics) row(t);
  for (const id of rule.techniques) {
    const technique = model.technique(id);
    const tactics = technique?.tactics ?? [];
    const tagged = tactics.filter((t) => rule.tactics.includes(t));
    const targets = tagged.length ? tagged : tactics.length ? tactics : [''];
    const tier = tierOf.get(id);
    for (const t of targets) row(t).techniques.push({ ...techniqueRef(model, id), ...(tier ? { tier } : {}) });
  }
  const order = new Map(sortTactics(model.catalog.tactics).map((t, i) => [t.id, i]));
  return [...rows.values()].sort((a, b) => (order.get(a.tacticId) ?? 1e6) - (order.get(b.tacticId) ?? 1e6) || a.tacticId.localeCompare(b.tacticId, 'en'));
}

function indicatorRows(model: SiteModel, rule: CatalogRule, refs: IndicatorRef[]): IndicatorRow[] {
  return refs.map((ref) => {
    const ind = model.indicator(ref.key);
    return {
      id: ref.id,
      field: ref.field,
      operator: operatorLabel(ref.operator),
      value: ref.value,
      count: countLabel(ind ?? { count: ref.count, rules: [rule.slug] }, rule.slug),
      href: link(ind ?? ref),
      shared: !!ind && ind.rules.some((r) => r !== rule.slug),
    };
  });
}

function splitIndicators(
  rows: IndicatorRow[],
  fieldSliceBits: Readonly<Record<string, number>> | undefined,
): Pick<RuleView, 'indicators' | 'moreIndicators' | 'uniqueIndicators'> {
  if (rows.length <= COMPACT_INDICATORS) return { ...limitTable(rows), uniqueIndicators: [] };
  const groups = new Map<string, UniqueIndicatorGroup & { slices: Set<number> }>();
  for (const row of rows) {
    if (row.shared) continue;
    const key = `${row.field ?? ''}\u0000${row.operator}`;
    const segment = fieldSegment(row.field);
    let group = groups.get(key);
    if (!group)
      groups.set(
        key,
        (group = { field: row.field, operator: row.operator, values: [], hrefs: [], pages: [], href: urls.indicatorField(segment), slices: new Set() }),
      );
    group.values.push(row.value);
    group.hrefs.push(row.href);
    // Not shared: the row is on its field page, or on the slice its id picks when the field is cut.
    const bits = fieldSliceBitsOf(fieldSliceBits, segment);
    const slice = bits ? sliceOf(row.id, bits) : 0;
    if (group.slices.has(slice)) continue;
    group.slices.add(slice);
    group.pages.push(slice ? { href: urls.indicatorFieldSlice(segment, slice), label: String(slice) } : { href: group.href, label: 'field page' });
  }
  return { ...limitTable(rows.filter((r) => r.shared)), uniqueIndicators: [...groups.values()].map(({ slices: _slices, ...g }) => g) };
}

/** The first INDICATOR_ROWS_SHOWN rows for the table; the rest grouped by field and operator as they come. */
function limitTable(rows: IndicatorRow[]): Pick<RuleView, 'indicators' | 'moreIndicators'> {
  const moreIndicators: RuleView['moreIndicators'] = [];
  for (const row of rows.slice(INDICATOR_ROWS_SHOWN)) {
    const last = moreIndicators.at(-1);
    if (last && last.field === row.field && last.operator === row.operator) last.rows.push(row);
    else moreIndicators.push({ field: row.field, operator: row.operator, rows: [row] });
  }
  return { indicators: rows.slice(0, INDICATOR_ROWS_SHOWN), moreIndicators };
}

function relatedViews(model: SiteModel, related: CatalogRule['related']): RelatedView[] {
  return related.map((r) => {
    const rule = (r.slug ? model.rule(r.slug) : undefined) ?? model.rulesById(r.id)[0];
    if (rule) return { type: r.type, id: r.id, rule };
    const removed = model.trust.removedById.get(r.id.toLowerCase());
    return removed ? { type: r.type, id: r.id, removed } : { type: r.type, id: r.id };
  });
}

function correlatedRules(model: SiteModel, section: Record<string, unknown> | undefined) {
  const ids = section?.rules;
  if (!Array.isArray(ids)) return [];
  return ids
    .filter((id): id is string => typeof id === 'string')
    .map((id) => ({ id, rules: model.rulesById(id).length ? model.rulesById(id) : model.rulesByName(id) }));
}

export function ruleView(model: SiteModel, rule: CatalogRule): RuleView {
  const techniques = ruleTechniqueTiers(model, rule);
  const tombstone = tombstoneView(model, model.trust.tombstone(rule.slug));
  const view: RuleView = {
    rule,
    coverage: ruleCoverage(model, rule, techniques.tierOf),
    references: describeReferences(rule.references, model.trust.referencesOfRule(rule.slug), model.test),
    conditions: (rule.detection?.conditions ?? []).map((c) => {
      const v: RuleView['conditions'][number] = { source: c.source, tree: describeCondition(c.expression) };
      if (c.aggregation) v.aggregation = describeAggregation(c.aggregation);
      return v;
    }),
    identifiers: (rule.detection?.identifiers ?? []).map((identifier) => describeIdentifier(identifier)),
    ...splitIndicators(indicatorRows(model, rule, rule.indicators), model.catalog.fieldSliceBits),
    related: relatedViews(model, rule.related),
    relatedFrom: relatedViews(model, rule.relatedFrom),
    tests: ruleTests(model, rule),
    untaggedTechniques: techniques.untagged.map((t) => ({ ...techniqueRef(model, t.id), tier: t.tier })),
    replaces: replacedRules(model, rule),
    correlated: correlatedRules(model, rule.correlation ?? rule.filter),
    settings: [],
    moreIndicatorCount: 0,
    suspiciousReferences: false,
    collectionHref: urls.ruleFacetValue('collection', model.ruleFacets.collection.find((g) => g.value === rule.collection)?.slug ?? ''),
  };
  view.settings = Object.entries(rule.correlation ?? rule.filter ?? {})
    .filter(([k]) => k !== 'rules')
    .map(([k, val]) => [k, formatSetting(val)]);
  view.moreIndicatorCount = view.moreIndicators.reduce((n, g) => n + g.rows.length, 0);
  view.suspiciousReferences = view.references.some((r) => r.health?.problem);
  if (tombstone) view.tombstone = tombstone;
  const source = sourceLink(model.catalog.repositoryUrl, model.catalog.repositoryRef, rule.path);
  if (source) view.sourceUrl = source;
  return view;
}

export interface RuleGroup {
  label: string;
  rules: CatalogRule[];
}

/** Rules grouped by log source, largest group first. */
export function groupRulesByLogsource(rules: CatalogRule[]): RuleGroup[] {
  const map = new Map<string, CatalogRule[]>();
  for (const r of rules) {
    const label = logsourceLabel(r.logsource);
    const list = map.get(label) ?? [];
    list.push(r);
    map.set(label, list);
  }
  return [...map.entries()]
    .map(([label, list]) => ({ label, rules: list.sort(compareRules) }))
    .sort((a, b) => b.rules.length - a.rules.length || a.label.localeCompare(b.label, 'en'));
}

export interface TechniqueView {
  technique: CatalogTechnique;
  parent?: CatalogTechnique;
  subtechniques: CatalogTechnique[];
  tactics: CatalogTactic[];
  tests: CatalogTest[];
  ruleGroups: RuleGroup[];
  activeRules: number;
  /** Tests evaluated with no predicted detection. */
  unpredictedTests: CatalogTest[];
  /** Whether the tests are also shown in full (commands, arguments, cleanup) below their table: not for long lists, which each test's own page holds. */
  testsInFull: boolean;
  referencingRules: CatalogRule[];
  attackUrl?: string;
  /** Confidence tier of each listed rule's link to the technique (or a sub-technique). */
  tiers: Map<string, Tier>;
  /** Rules linked to it (observed or predicted on its tests) that neither tag nor reference it. */
  linkedRules: CatalogRule[];
  /** Where the technique is known from, when not from the ATT&CK bundle. */
  sourceNote?: string;
  /** Per tactic id: why it is listed, when rule tags placed it there rather than ATT&CK. */
  tacticNotes: Map<string, string>;
  /** The technique replacing a revoked one (STIX `revoked-by`), when the catalog has it. */
  replacement?: CatalogTechnique;
  /** For a revoked technique without `revoked-by`: the one live technique with its name (a hint). */
  namesake?: CatalogTechnique;
  /** The one technique of the same name on the other side of the bundle: renumbered after it (a hint). */
  renumbered?: CatalogTechnique;
}

/** Up to this many tests, a technique page shows each in full as well as in its table (keeps pages such as T1685's, with 77 tests, under the page-size limit). */
export const TESTS_IN_FULL = 30;

export function techniqueView(model: SiteModel, technique: CatalogTechnique): TechniqueView {
  const rules = technique.rules.map((s) => model.rule(s)).filter((r): r is CatalogRule => !!r);
  const tiers = techniqueTiers(model, technique);
  const byTier = (a: CatalogRule, b: CatalogRule) => (tiers.get(a.slug) ?? 5) - (tiers.get(b.slug) ?? 5) || compareRules(a, b);
  const view: TechniqueView = {
    technique,
    subtechniques: technique.subtechniques
      .map((id) => model.technique(id))
      .filter((t): t is CatalogTechnique => !!t)
      .sort((a, b) => compareTechniqueIds(a.id, b.id)),
    tactics: sortTactics(technique.tactics.map((t) => model.tactic(t)).filter((t): t is CatalogTactic => !!t)),
    tests: technique.tests
      .map((g) => model.test(g))
      .filter((t): t is CatalogTest => !!t)
      .sort((a, b) => a.number - b.number),
    ruleGroups: groupRulesByLogsource(rules).map((g) => ({ ...g, rules: g.rules.sort(byTier) })),
    activeRules: rules.filter((r) => r.active).length,
    unpredictedTests: [],
    testsInFull: technique.tests.length <= TESTS_IN_FULL,
    referencingRules: technique.referencingRules
      .map((s) => model.rule(s))
      .filter((r): r is CatalogRule => !!r)
      .sort(byTier),
    tiers,
    linkedRules: [],
    tacticNotes: new Map(),
  };
  const listed = new Set([...technique.rules, ...technique.referencingRules]);
  view.linkedRules = [...tiers.keys()]
    .filter((slug) => !listed.has(slug))
    .map((slug) => model.rule(slug))
    .filter((r): r is CatalogRule => !!r)
    .sort(byTier);
  // Gaps: tests that were evaluated (predicted is set) and that no rule is predicted to catch.
  view.unpredictedTests = view.tests.filter((t) => t.predicted?.length === 0);
  const parent = technique.parent ? model.technique(technique.parent) : undefined;
  if (parent) view.parent = parent;
  const attackUrl = safeHref(technique.attackUrl) ?? (technique.source === 'attack' ? attackTechniqueUrl(technique.id) : undefined);
  if (attackUrl) view.attackUrl = attackUrl;
  const outsideNote = notInBundleNote(model.catalog) ?? 'no ATT&CK bundle used';
  const sourceNote = {
    attack: undefined,
    atomic: `Known from the Atomic Red Team folder only: ${outsideNote}.`,
    tag: `Known only from rule tags (not in Atomic Red Team either): ${outsideNote}.`,
  }[technique.source];
  if (sourceNote) view.sourceNote = sourceNote;
  const fromRules = new Set(technique.tacticsFromRules ?? []);
  for (const t of view.tactics) {
    if (!fromRules.has(t.id)) continue;
    view.tacticNotes.set(t.id, `placed by rule tags${outsideBundle(model.catalog, t) ? `; tactic ${notInBundleNote(model.catalog)}` : ''}`);
  }
  const replacement = technique.revokedBy ? model.technique(technique.revokedBy) : undefined;
  if (replacement) view.replacement = replacement;
  const namesake = sameNameSuccessor(model.catalog, technique);
  if (namesake) view.namesake = namesake;
  const renumbered = renumberedNamesake(model.catalog, technique);
  if (renumbered) view.renumbered = renumbered;
  return view;
}

/** A correlation or filter setting as one readable line: lists joined, maps as `key: value`. */
export function formatSetting(value: unknown): string {
  if (Array.isArray(value)) return value.map(formatSetting).join(', ');
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${formatSetting(v)}`)
      .join('; ');
  }
  return String(value);
}

export interface TestView {
  test: CatalogTest;
  technique?: CatalogTechnique;
  tactics: CatalogTactic[];
  /** Every linked rule, strongest link first. */
  rules: RuleRow[];
  /** Strongest tier among the active rules' links; undefined when no active rule is linked at all. */
  coverage?: Tier;
  platforms: string[];
}

export function testView(model: SiteModel, test: CatalogTest): TestView {
  const technique = model.technique(test.technique);
  const rules = testRules(model, test);
  const coverage = bestActiveTier(rules);
  const view: TestView = {
    test,
    tactics: sortTactics((technique?.tactics ?? []).map((t) => model.tactic(t)).filter((t): t is CatalogTactic => !!t)),
    rules,
    platforms: test.platforms.map(platformLabel),
  };
  if (coverage) view.coverage = coverage;
  if (technique) view.technique = technique;
  return view;
}
