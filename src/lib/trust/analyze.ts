/**
 * How far each link can be trusted, and what is missing: confidence tiers, reference health,
 * gaps, tombstones and redirects. Derived once from the finished catalog (after predictions, the
 * observed runs and the change list are in) by the pipeline; `api/` (trust/api.ts), the site model
 * and the redirect pages only read the result, which is plain JSON. Pure and deterministic.
 */
import { compareStrings } from '../order.ts';
import { indexTests, parseAtomicReference, type TestIndex } from '../xref/atomic-reference.ts';
import { linkRulesToTechniques, linkRulesToTests, type Explain, type TechniqueLink, type TestLink } from './confidence.ts';
import { describePrediction } from '../xref/explain.ts';
import { checkReference, type ReferenceHealth, type Successor } from './health.ts';
import { findGaps, type Gaps } from './gaps.ts';
import { allModifierRedirects, redirects, techniqueRedirects, type Redirect } from './redirects.ts';
import { tombstones, type Tombstone } from './tombstones.ts';
import type { Catalog, CatalogTechnique } from '../catalog/types.ts';

export interface RuleReferenceHealth extends ReferenceHealth {
  /** Slug of the rule holding the reference. */
  rule: string;
}

export interface Trust {
  testLinks: TestLink[];
  techniqueLinks: TechniqueLink[];
  references: RuleReferenceHealth[];
  gaps: Gaps;
  tombstones: Tombstone[];
  /** Old rule addresses (file names, replaced ids): `api/redirects.json` and redirect pages. */
  redirects: Redirect[];
  /** Revoked techniques and indicator pages of `…|all` checks: redirect pages only, not in `api/`. */
  pageRedirects: Redirect[];
}

/** The evaluator's explanation of each predicted (rule, test) pair, from `CatalogTest.predictions`. */
function explainer(catalog: Catalog): Explain | undefined {
  const byPair = new Map<string, string>();
  for (const test of catalog.tests) {
    for (const p of test.predictions ?? []) {
      const key = `${p.rule}\u0000${test.guid}`;
      if (!byPair.has(key) && p.explanation) byPair.set(key, describePrediction(p));
    }
  }
  return byPair.size ? (rule, test) => byPair.get(`${rule}\u0000${test}`) : undefined;
}

/**
 * Where the tests of a technique whose Atomic folder is gone went: the one technique its moved
 * tests landed in, else the one Atomic technique of the same name (ATT&CK T1562.001 "Disable or
 * Modify Tools" → Atomic T1685; T1070.001 "Clear Windows Event Logs" → T1685.005 "Disable or Modify
 * Tools: Clear Windows Event Logs").
 */
function successors(catalog: Catalog, index: TestIndex): (technique: string) => Successor | undefined {
  const moved = new Map<string, Set<string>>();
  for (const rule of catalog.rules) {
    for (const url of rule.references) {
      const ref = parseAtomicReference(url);
      if (!ref || index.byTechnique.has(ref.technique)) continue;
      const health = checkReference(ref, { index });
      const test = health.resolvedBy === 'moved' && health.test ? index.byGuid.get(health.test) : undefined;
      if (test) moved.set(ref.technique, (moved.get(ref.technique) ?? new Set()).add(test.technique));
    }
  }
  const withTests = (t: CatalogTechnique) => index.byTechnique.has(t.id);
  const byName = new Map<string, string[]>();
  for (const t of catalog.techniques.filter(withTests)) {
    // Atomic names a folder it took over "Parent: Sub" ("Disable or Modify Tools: Clear Windows Event Logs").
    const names = new Set([t.name.toLowerCase(), t.name.toLowerCase().split(': ').pop()!]);
    for (const name of names) byName.set(name, [...(byName.get(name) ?? []), t.id]);
  }
  const names = new Map(catalog.techniques.map((t) => [t.id, t.name.toLowerCase()]));
  return (technique) => {
    const landed = moved.get(technique);
    if (landed?.size === 1) return { technique: [...landed][0]!, basis: 'moved-tests' };
    const same = byName.get(names.get(technique) ?? '\u0000');
    return same?.length === 1 ? { technique: same[0]!, basis: 'same-name' } : undefined;
  };
}

export function referenceHealth(catalog: Catalog): RuleReferenceHealth[] {
  const index = indexTests(catalog.tests);
  const ctx = { index, successor: successors(catalog, index) };
  const out: RuleReferenceHealth[] = [];
  for (const rule of catalog.rules) {
    for (const url of rule.references) {
      const ref = parseAtomicReference(url);
      if (ref) out.push({ rule: rule.slug, ...checkReference(ref, ctx) });
    }
  }
  return out.sort((a, b) => compareStrings(a.rule, b.rule) || compareStrings(a.url, b.url));
}

export function analyzeTrust(catalog: Catalog): Trust {
  const testLinks = linkRulesToTests(catalog.rules, catalog.tests, explainer(catalog));
  const techniqueLinks = linkRulesToTechniques(catalog.rules, catalog.tests);
  const graves = tombstones(catalog);
  return {
    testLinks,
    techniqueLinks,
    references: referenceHealth(catalog),
    gaps: findGaps(catalog, testLinks, techniqueLinks),
    tombstones: graves,
    redirects: redirects(catalog.rules, graves, catalog.changes?.moved),
    pageRedirects: [...techniqueRedirects(catalog.techniques), ...allModifierRedirects(catalog.rules, catalog.indicators)],
  };
}
