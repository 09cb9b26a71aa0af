/**
 * View models of the index pages that list entities: log sources, tags, tests by technique,
 * techniques by tactic (and of one tactic), and the rules of an indicator.
 */
import type { CatalogIndicator, CatalogRule, CatalogTactic, CatalogTechnique } from '../catalog/types.ts';
import { compareRules, compareTechniqueIds, type LogSourceGroup, type SiteModel, type TagGroup } from './model.ts';
import { link, urls } from './urls.ts';

/** Active rules tagged with a technique (rules the catalog lacks do not count). */
export function activeRuleCount(model: SiteModel, technique: CatalogTechnique): number {
  return technique.rules.filter((s) => model.rule(s)?.active).length;
}

export interface LogSourceRow extends LogSourceGroup {
  activeRules: number;
}

/** Log sources, most rules first, then by label. */
export function logsourceRows(model: SiteModel): LogSourceRow[] {
  return [...model.logsources]
    .sort((a, b) => b.rules.length - a.rules.length || a.label.localeCompare(b.label, 'en'))
    .map((ls) => ({ ...ls, activeRules: ls.rules.filter((r) => r.active).length }));
}

export interface TagNamespace {
  /** `attack`, `cve` …; empty for tags without a namespace. */
  namespace: string;
  tags: Array<TagGroup & { href: string }>;
}

/** Tags by namespace, largest namespace first; each tag links to its technique, tactic or tag page. */
export function tagNamespaces(model: SiteModel): TagNamespace[] {
  const namespaces = new Map<string, TagNamespace['tags']>();
  for (const t of model.tags) {
    const href = t.target.kind === 'technique' ? urls.technique(t.target.id) : t.target.kind === 'tactic' ? urls.tactic(t.target.id) : urls.tag(t.slug);
    namespaces.set(t.namespace, [...(namespaces.get(t.namespace) ?? []), { ...t, href }]);
  }
  return [...namespaces.entries()].sort((a, b) => b[1].length - a[1].length).map(([namespace, tags]) => ({ namespace, tags }));
}

export interface TechniqueTestCount {
  /** The technique id as the tests name it. */
  id: string;
  /** The technique, when the catalog has it. */
  technique?: CatalogTechnique;
  /** Its page's tests section, when it has one. */
  href?: string;
  tests: number;
}

/** Atomic tests counted per technique, in technique order. */
export function testsByTechnique(model: SiteModel): TechniqueTestCount[] {
  const counts = new Map<string, number>();
  for (const t of model.catalog.tests) counts.set(t.technique, (counts.get(t.technique) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => compareTechniqueIds(a[0], b[0]))
    .map(([id, tests]) => {
      const technique = model.technique(id);
      return technique ? { id, technique, href: `${link(technique)}#tests`, tests } : { id, tests };
    });
}

export interface TechniqueRow {
  technique: CatalogTechnique;
  activeRules: number;
  /** ` (revoked)`, ` (deprecated)` or empty. */
  retired: string;
}

const techniqueRow = (model: SiteModel, technique: CatalogTechnique): TechniqueRow => ({
  technique,
  activeRules: activeRuleCount(model, technique),
  retired: technique.revoked ? ' (revoked)' : technique.deprecated ? ' (deprecated)' : '',
});

/** The techniques placed in a tactic, in technique order. */
export function tacticTechniques(model: SiteModel, tactic: CatalogTactic): TechniqueRow[] {
  return model.catalog.techniques
    .filter((t) => t.tactics.includes(tactic.id))
    .sort((a, b) => compareTechniqueIds(a.id, b.id))
    .map((t) => techniqueRow(model, t));
}

/** Every tactic with its techniques (tactics without any left out), in matrix order. */
export function techniquesByTactic(model: SiteModel): Array<{ tactic: CatalogTactic; techniques: TechniqueRow[] }> {
  return model.tactics.map((tactic) => ({ tactic, techniques: tacticTechniques(model, tactic) })).filter((g) => g.techniques.length > 0);
}

/** Techniques with no known tactic. */
export function techniquesWithoutTactic(model: SiteModel): TechniqueRow[] {
  return model.techniquesWithoutTactic.map((t) => techniqueRow(model, t));
}

/** The rules using an indicator that the catalog holds, in rule order. */
export function indicatorRules(model: SiteModel, indicator: CatalogIndicator): CatalogRule[] {
  return indicator.rules
    .map((s) => model.rule(s))
    .filter((r): r is CatalogRule => !!r)
    .sort(compareRules);
}
