/**
 * Everything the pages need, derived from the catalog once: lookups, facet groups, log sources,
 * tags, field groups and the matrix. Pages only read this; no business logic lives in them.
 */
import type { CatalogIndicator, CatalogRule, CatalogTactic, CatalogTechnique, CatalogTest } from '../catalog/types.ts';
import { groupBy, type Group } from './facets.ts';
import { groupByField, hasOwnPage, type FieldGroup } from './indicators.ts';
import { levelRank, logsourceLabel, platformKey, statusRank } from './labels.ts';
import { buildMatrix, sortTactics, type MatrixColumn } from './matrix.ts';
import type { SiteCatalog } from './catalog.ts';
import { indexTrust, type TrustIndex } from './trust.ts';
import { slugify } from './urls.ts';

export const RULE_FACETS = ['level', 'status', 'collection', 'product', 'category', 'service', 'tactic'] as const;
export type RuleFacet = (typeof RULE_FACETS)[number];

export const FACET_LABELS: Record<RuleFacet, string> = {
  level: 'Level',
  status: 'Status',
  collection: 'Collection',
  product: 'Product',
  category: 'Category',
  service: 'Service',
  tactic: 'Tactic',
};

export interface LogSourceGroup {
  slug: string;
  product?: string;
  category?: string;
  service?: string;
  label: string;
  rules: CatalogRule[];
}

export interface TagGroup {
  tag: string;
  slug: string;
  namespace: string;
  /** Technique or tactic page for ATT&CK tags; otherwise the tag page. */
  target: { kind: 'technique' | 'tactic'; id: string } | { kind: 'tag' };
  rules: CatalogRule[];
}

export interface SiteModel {
  catalog: SiteCatalog;
  rule: (slug: string) => CatalogRule | undefined;
  rulesById: (id: string) => CatalogRule[];
  /** Rules by their Sigma v2 `name` (what correlation and filter rules may reference). */
  rulesByName: (name: string) => CatalogRule[];
  technique: (id: string) => CatalogTechnique | undefined;
  test: (guid: string) => CatalogTest | undefined;
  tactic: (id: string) => CatalogTactic | undefined;
  indicator: (key: string) => CatalogIndicator | undefined;
  rulesSorted: CatalogRule[];
  tactics: CatalogTactic[];
  ruleFacets: Record<RuleFacet, Group<CatalogRule>[]>;
  logsources: LogSourceGroup[];
  logsourceOf: (rule: CatalogRule) => LogSourceGroup | undefined;
  tags: TagGroup[];
  fields: FieldGroup[];
  indicatorPages: CatalogIndicator[];
  testsByPlatform: Group<CatalogTest>[];
  testsByExecutor: Group<CatalogTest>[];
  matrix: MatrixColumn[];
  /** Techniques with no known tactic (only from tags or Atomic folders). */
  techniquesWithoutTactic: CatalogTechnique[];
  /** Confidence tiers, reference health, gaps, tombstones and redirects. */
  trust: TrustIndex;
}

/** Rules in reading order for lists: by level (critical first), then title. */
export function compareRules(a: CatalogRule, b: CatalogRule): number {
  return (
    Number(b.active) - Number(a.active) || levelRank(a.level) - levelRank(b.level) || a.title.localeCompare(b.title, 'en') || a.slug.localeCompare(b.slug, 'en')
  );
}

/** One collator for all comparisons: `localeCompare` with options builds a new one per call (1.2 s of a full-corpus render). */
const techniqueIdOrder = new Intl.Collator('en', { numeric: true });

export function compareTechniqueIds(a: string, b: string): number {
  return techniqueIdOrder.compare(a, b);
}

function lookup<T>(items: readonly T[], key: (item: T) => string): (k: string) => T | undefined {
  const map = new Map(items.map((i) => [key(i), i]));
  return (k) => map.get(k);
}

function tagTarget(tag: string, technique: (id: string) => unknown, tactic: (id: string) => unknown): TagGroup['target'] {
  const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(tag);
  if (m && technique(m[1]!.toUpperCase())) return { kind: 'technique', id: m[1]!.toUpperCase() };
  const t = /^attack\.([a-z-]+)$/.exec(tag);
  if (t && tactic(t[1]!)) return { kind: 'tactic', id: t[1]! };
  return { kind: 'tag' };
}

export function buildModel(catalog: SiteCatalog): SiteModel {
  const rule = lookup(catalog.rules, (r) => r.slug);
  const technique = lookup(catalog.techniques, (t) => t.id);
  const tactic = lookup(catalog.tactics, (t) => t.id);
  const testByGuid = new Map(catalog.tests.map((t) => [t.guid, t]));
  const byId = new Map<string, CatalogRule[]>();
  for (const r of catalog.rules) {
    if (!r.id) continue;
    const list = byId.get(r.id) ?? [];
    list.push(r);
    byId.set(r.id, list);
  }
  const byName = new Map<string, CatalogRule[]>();
  for (const r of catalog.rules) {
    if (r.name) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  }
  const rulesSorted = [...catalog.rules].sort((a, b) => a.title.localeCompare(b.title, 'en') || a.slug.localeCompare(b.slug, 'en'));

  const sortGroupRules = (groups: Group<CatalogRule>[]) => {
    for (const g of groups) g.items.sort(compareRules);
    return groups;
  };
  const ruleFacets: Record<RuleFacet, Group<CatalogRule>[]> = {
    level: sortGroupRules(groupBy(catalog.rules, (r) => r.level, '')).sort((a, b) => levelRank(a.value) - levelRank(b.value)),
    status: sortGroupRules(groupBy(catalog.rules, (r) => r.status, '')).sort((a, b) => statusRank(a.value) - statusRank(b.value)),
    collection: sortGroupRules(groupBy(catalog.rules, (r) => r.collection)),
    product: sortGroupRules(groupBy(catalog.rules, (r) => r.logsource.product, '')),
    category: sortGroupRules(groupBy(catalog.rules, (r) => r.logsource.category)),
    service: sortGroupRules(groupBy(catalog.rules, (r) => r.logsource.service)),
    tactic: sortGroupRules(groupBy(catalog.rules, (r) => r.tactics)),
  };
  const tacticOrder = new Map(catalog.tactics.map((t) => [t.id, t.order]));
  ruleFacets.tactic.sort((a, b) => (tacticOrder.get(a.value) ?? 999) - (tacticOrder.get(b.value) ?? 999) || a.value.localeCompare(b.value, 'en'));

  const lsKey = (r: CatalogRule) => [r.logsource.product ?? '', r.logsource.category ?? '', r.logsource.service ?? ''].join('\u0000');
  const lsGroups = groupBy(catalog.rules, lsKey);
  const logsources: LogSourceGroup[] = lsGroups.map((g) => {
    const first = g.items[0]!;
    const { product, category, service } = first.logsource;
    const label = logsourceLabel(first.logsource);
    g.items.sort(compareRules);
    const group: LogSourceGroup = { slug: '', label, rules: g.items };
    if (product) group.product = product;
    if (category) group.category = category;
    if (service) group.service = service;
    return group;
  });
  const takenLs = new Set<string>();
  for (const ls of logsources.sort((a, b) => a.label.localeCompare(b.label, 'en'))) {
    const base = slugify(ls.label === 'no log source' ? 'none' : ls.label.replace(/ \/ /g, '-'));
    let slug = base;
    for (let n = 2; takenLs.has(slug); n += 1) slug = `${base}-${n}`;
    takenLs.add(slug);
    ls.slug = slug;
  }
  const lsByKey = new Map(logsources.map((ls) => [lsKey(ls.rules[0]!), ls]));

  const tagGroups = groupBy(catalog.rules, (r) => r.tags);
  const tags: TagGroup[] = tagGroups.map((g) => ({
    tag: g.value,
    slug: g.slug,
    namespace: g.value.includes('.') ? g.value.slice(0, g.value.indexOf('.')) : '',
    target: tagTarget(g.value, technique, tactic),
    rules: g.items.sort(compareRules),
  }));

  const fields = groupByField(catalog.indicators, catalog.fieldSliceBits);
  const testsByPlatform = groupBy(catalog.tests, (t) => t.platforms.map(platformKey));
  const testsByExecutor = groupBy(catalog.tests, (t) => t.executor);
  const compareTests = (a: CatalogTest, b: CatalogTest) => compareTechniqueIds(a.technique, b.technique) || a.number - b.number;
  for (const g of [...testsByPlatform, ...testsByExecutor]) g.items.sort(compareTests);

  return {
    catalog,
    rule,
    rulesById: (id) => byId.get(id) ?? [],
    rulesByName: (name) => byName.get(name) ?? [],
    technique,
    test: (guid) => testByGuid.get(guid),
    tactic,
    indicator: lookup(catalog.indicators, (i) => i.key),
    rulesSorted,
    tactics: sortTactics(catalog.tactics),
    ruleFacets,
    logsources,
    logsourceOf: (r) => lsByKey.get(lsKey(r)),
    tags,
    fields,
    indicatorPages: catalog.indicators.filter(hasOwnPage),
    testsByPlatform,
    testsByExecutor,
    matrix: buildMatrix(
      catalog.tactics,
      catalog.techniques,
      (slug) => rule(slug)?.active ?? false,
      (t) => t.tests.filter((guid) => (testByGuid.get(guid)?.predicted?.length ?? 0) > 0).length,
    ),
    techniquesWithoutTactic: catalog.techniques.filter((t) => t.tactics.length === 0).sort((a, b) => compareTechniqueIds(a.id, b.id)),
    trust: indexTrust(catalog.trust),
  };
}
