/** Minimal catalog entities for hand-made fixtures: only what a test sets differs from the defaults. */
import type { Catalog, CatalogRule, CatalogTactic, CatalogTechnique, CatalogTest } from '../../src/lib/catalog/types.ts';

export function rule(slug: string, extra: Partial<CatalogRule> = {}): CatalogRule {
  return {
    id: slug,
    slug,
    kind: 'rule',
    title: `Rule ${slug}`,
    path: `rules/${slug}.yml`,
    document: 0,
    collection: 'rules',
    references: [],
    falsepositives: [],
    fields: [],
    tags: [],
    logsource: { product: 'windows', category: 'process_creation' },
    related: [],
    techniques: [],
    tactics: [],
    tests: [],
    referencedTechniques: [],
    active: true,
    indicators: [],
    relatedFrom: [],
    source: '',
    url: `/rules/${slug}/`,
    ...extra,
  };
}

export function test(guid: string, technique: string, number: number, name: string, extra: Partial<CatalogTest> = {}): CatalogTest {
  return {
    guid,
    technique,
    number,
    name,
    platforms: ['windows'],
    executor: 'powershell',
    elevationRequired: false,
    inputArguments: [],
    dependencies: [],
    anchor: '',
    slug: guid,
    rules: [],
    url: `/tests/${guid}/`,
    ...extra,
  };
}

export function technique(id: string, name: string, extra: Partial<CatalogTechnique> = {}): CatalogTechnique {
  return {
    id,
    name,
    tactics: [],
    platforms: [],
    subtechniques: [],
    rules: [],
    referencingRules: [],
    tests: [],
    deprecated: false,
    revoked: false,
    source: 'attack',
    url: `/techniques/${id}/`,
    ...extra,
  };
}

export function tactic(id: string, order: number): CatalogTactic {
  return { id, name: id, order, techniques: [], rules: [], url: `/tactics/${id}/` };
}

export function catalog(parts: Partial<Catalog>): Catalog {
  return {
    title: 'fixture',
    rules: [],
    techniques: [],
    tactics: [],
    tests: [],
    indicators: [],
    unresolvedReferences: [],
    diagnostics: [],
    stats: {
      files: { sigma: 0, atomics: 0, attack: 0 },
      rules: 0,
      rulesByKind: {},
      rulesByCollection: {},
      rulesByStatus: {},
      rulesByLevel: {},
      testsByPlatform: {},
      testsByExecutor: {},
      diagnosticsByCode: {},
    },
    ...parts,
  };
}
