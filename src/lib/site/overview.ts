/** View model of the overview page (index): headline counts and the rule and test breakdowns. */
import { techniqueStates } from '../catalog/techniques.ts';
import type { TechniqueStates } from '../catalog/types.ts';
import { sortedCounts } from './facets.ts';
import { collectionLabel, levelRank, platformLabel, statusRank } from './labels.ts';
import type { RuleFacet, SiteModel } from './model.ts';
import { notInBundleNote } from './provenance.ts';
import { urls } from './urls.ts';

/** One line of a breakdown: a value, its count and the page listing it. */
export interface CountRow {
  label: string;
  count: number;
  href: string;
}

export interface OverviewView {
  rules: number;
  activeRules: number;
  techniques: TechniqueStates;
  /** Live (neither revoked nor deprecated) techniques with at least one active rule. */
  coveredTechniques: number;
  /** "not in ATT&CK vX (the bundle used)", when a bundle was used. */
  outsideNote?: string;
  tests: number;
  /** Tests referenced by at least one rule. */
  referencedTests: number;
  /** Atomic references of rules with a problem (renumbered, missing, moved). */
  suspiciousReferences: number;
  byLevel: CountRow[];
  byStatus: CountRow[];
  byCollection: CountRow[];
  /** Tests per platform, most first. */
  byPlatform: CountRow[];
}

export function overviewView(model: SiteModel): OverviewView {
  const { catalog } = model;
  const { stats } = catalog;
  const facetRows = (facet: RuleFacet, counts: Array<[string, number]>, label: (value: string) => string): CountRow[] =>
    counts.map(([value, count]) => ({
      label: label(value),
      count,
      href: urls.ruleFacetValue(facet, model.ruleFacets[facet].find((g) => g.value === value)?.slug ?? ''),
    }));
  const orNone = (value: string) => value || 'none';
  const view: OverviewView = {
    rules: catalog.rules.length,
    activeRules: catalog.rules.filter((r) => r.active).length,
    techniques: techniqueStates(catalog.techniques, !!stats.files.attack),
    coveredTechniques: catalog.techniques.filter((t) => !t.revoked && !t.deprecated).filter((t) => t.rules.some((s) => model.rule(s)?.active)).length,
    tests: catalog.tests.length,
    referencedTests: catalog.tests.filter((t) => t.rules.length > 0).length,
    suspiciousReferences: model.trust.references.filter((r) => r.problem).length,
    byLevel: facetRows(
      'level',
      sortedCounts(stats.rulesByLevel).sort((a, b) => levelRank(a[0]) - levelRank(b[0])),
      orNone,
    ),
    byStatus: facetRows(
      'status',
      sortedCounts(stats.rulesByStatus).sort((a, b) => statusRank(a[0]) - statusRank(b[0])),
      orNone,
    ),
    byCollection: facetRows('collection', sortedCounts(stats.rulesByCollection), collectionLabel),
    byPlatform: model.testsByPlatform
      .slice()
      .sort((a, b) => b.items.length - a.items.length)
      .map((g) => ({ label: platformLabel(g.value), count: g.items.length, href: urls.testFacetValue('platform', g.slug) })),
  };
  const outsideNote = notInBundleNote(catalog);
  if (outsideNote) view.outsideNote = outsideNote;
  return view;
}
