/**
 * Index page view models (site/lists.ts), the rule page's correlation settings and collection link
 * (ruleView), and the ATT&CK link rewriting of markdown (attackPageLink, siteMarkdown), on the fixture catalog.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import {
  activeRuleCount,
  indicatorRules,
  logsourceRows,
  tacticTechniques,
  tagNamespaces,
  techniquesByTactic,
  techniquesWithoutTactic,
  testsByTechnique,
} from '../../src/lib/site/lists.ts';
import { attackPageLink, renderMarkdown, siteMarkdown } from '../../src/lib/site/markdown.ts';
import { buildModel } from '../../src/lib/site/model.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { tierBadgeHtml } from '../../src/lib/site/trust-views.ts';
import { ruleView } from '../../src/lib/site/views.ts';
import { fixtureCatalog } from './fixture-site.ts';

/** The site reads the catalog with its trust data, as the pipeline writes it. */
const withTrust = (catalog: Catalog) => ({ ...catalog, trust: analyzeTrust(catalog) });

const fixture = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
const model = buildModel(withTrust(structuredClone(fixture)));

describe('index page lists', () => {
  it('orders log sources by rule count, then label, with their active rules', () => {
    const rows = logsourceRows(model);
    expect(rows.map((r) => [r.slug, r.rules.length, r.activeRules])).toEqual([
      ['windows-process_creation', 4, 3],
      ['linux-auditd', 1, 1],
      ['linux-process_creation', 1, 0],
      ['none', 1, 1],
      ['windows-process_access', 1, 1],
    ]);
  });

  it('groups tags by namespace, largest first, each linked to its technique, tactic or tag page', () => {
    const groups = tagNamespaces(model);
    expect(groups.map((g) => g.tags.length)).toEqual([...groups.map((g) => g.tags.length)].sort((a, b) => b - a));
    const tags = groups.flatMap((g) => g.tags);
    expect(tags).toHaveLength(model.tags.length);
    const byTag = new Map(tags.map((t) => [t.tag, t.href]));
    expect(byTag.get('attack.t1049')).toBe('/techniques/T1049/');
    expect(byTag.get('attack.discovery')).toBe('/tactics/discovery/');
    const other = tags.find((t) => t.target.kind === 'tag')!;
    expect(other.href).toBe(`/tags/${other.slug}/`);
  });

  it('counts tests per technique in technique order, linking to the tests section of known techniques', () => {
    expect(testsByTechnique(model).map((g) => [g.id, g.tests, g.href])).toEqual([
      ['T1003.001', 1, '/techniques/T1003.001/#tests'],
      ['T1049', 2, '/techniques/T1049/#tests'],
      ['T1059.001', 1, '/techniques/T1059.001/#tests'],
      ['T1218.011', 1, '/techniques/T1218.011/#tests'],
      ['T1490', 2, '/techniques/T1490/#tests'],
    ]);
    const catalog = structuredClone(fixture);
    catalog.tests[0]!.technique = 'T9999';
    const unknown = testsByTechnique(buildModel(withTrust(catalog))).find((g) => g.id === 'T9999')!;
    expect(unknown).toEqual({ id: 'T9999', tests: 1 });
  });

  it('lists techniques per tactic with active rule counts and a retired mark', () => {
    const catalog = structuredClone(fixture);
    catalog.techniques.find((t) => t.id === 'T1003.001')!.revoked = true;
    const m = buildModel(withTrust(catalog));
    const credential = techniquesByTactic(m).find((g) => g.tactic.id === 'credential-access')!;
    expect(credential.techniques.map((r) => [r.technique.id, r.retired])).toEqual([
      ['T1003', ''],
      ['T1003.001', ' (revoked)'],
    ]);
    expect(techniquesByTactic(m).some((g) => g.techniques.length === 0)).toBe(false);
    const discovery = tacticTechniques(m, m.tactic('discovery')!);
    // T1049 is tagged by three rules, one deprecated.
    expect(discovery.map((r) => [r.technique.id, r.activeRules])).toEqual([['T1049', 2]]);
    expect(activeRuleCount(m, m.technique('T1049')!)).toBe(2);
    expect(techniquesWithoutTactic(m).map((r) => r.technique.id)).toEqual(m.techniquesWithoutTactic.map((t) => t.id));
  });

  it('resolves an indicator to the rules the catalog holds, in rule order', () => {
    const indicator = structuredClone(fixture.indicators[0]!);
    indicator.rules = [...indicator.rules, 'not-in-catalog'];
    expect(indicatorRules(model, indicator).map((r) => r.slug)).toEqual(['1c67a717-32ba-409b-a45d-0fb704a73a81', 'e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21']);
  });
});

describe('rule page (ruleView additions)', () => {
  it('shows correlation settings but the rules list, each setting on one line', () => {
    const rule = model.catalog.rules.find((r) => r.correlation)!;
    const v = ruleView(model, rule);
    expect(v.settings).toEqual([
      ['type', 'event_count'],
      ['group-by', 'Computer'],
      ['timespan', '15m'],
      ['condition', 'gte: 10'],
    ]);
    expect(v.collectionHref).toBe('/rules/by/collection/rules/');
  });

  it('shows a related rule removed since the previous build through its tombstone, found by id (not by its permalink), the first of two sharing the id', () => {
    const REMOVED = 'a1a1a1a1-2222-4333-8444-555566667777';
    const VSS = 'b7c6d5e4-1111-4c2d-9e8f-a0b1c2d3e4f5'; // names it as `merged`
    const related = (edit: (c: Catalog) => void) => {
      const catalog = structuredClone(fixture);
      edit(catalog);
      const m = buildModel(withTrust(catalog));
      return ruleView(m, m.rule(VSS)!).related.find((r) => r.id === REMOVED)!;
    };
    expect(related(() => {}).removed?.slug).toBe(REMOVED);
    // One of two rules that shared the id: its permalink is not the id.
    const second = (c: Catalog) => Object.assign(c.changes!.rules.removed[0]!, { slug: `${REMOVED}-2` });
    expect(related(second).removed?.slug).toBe(`${REMOVED}-2`);
    expect(related(second).rule).toBeUndefined();
    // Both removed: the first by slug, as related ids link to the first of the rules sharing one.
    const both = (c: Catalog) => c.changes!.rules.removed.push({ ...c.changes!.rules.removed[0]!, slug: `${REMOVED}-2`, title: 'Second' });
    expect(related(both).removed?.slug).toBe(REMOVED);
    expect(related((c) => (c.changes!.rules.removed = [])).removed).toBeUndefined();
  });

  it('links the collection and counts nothing more when the rule has few indicators', () => {
    const v = ruleView(model, model.rule('e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21')!);
    expect(v.collectionHref).toBe(`/rules/by/collection/${model.ruleFacets.collection.find((g) => g.value === 'deprecated')!.slug}/`);
    expect(v.settings).toEqual([]);
    expect(v.moreIndicatorCount).toBe(0);
    expect(v.suspiciousReferences).toBe(false);
  });
});

describe('ATT&CK links in markdown (attackPageLink)', () => {
  it('points technique and tactic URLs at the site pages the catalog has', () => {
    expect(attackPageLink(model, 'https://attack.mitre.org/techniques/T1003/001/')).toBe('/techniques/T1003.001/');
    expect(attackPageLink(model, 'https://attack.mitre.org/tactics/TA0007')).toBe('/tactics/discovery/');
    expect(attackPageLink(model, 'https://attack.mitre.org/techniques/T9999/')).toBeUndefined();
    expect(attackPageLink(model, 'https://example.com/T1003')).toBeUndefined();
  });

  it("renders the pages' markdown with them, each text once, as renderMarkdown does", () => {
    const render = siteMarkdown(model);
    expect(siteMarkdown(model)).toBe(render);
    const text = 'See [LSASS](https://attack.mitre.org/techniques/T1003/001/) and [x](https://example.com/).(Citation: Alpha)';
    const first = render(text, 't1-');
    expect(first).toEqual(renderMarkdown(text, { idPrefix: 't1-', rewriteLink: (url) => attackPageLink(model, url) }));
    expect(first.html).toContain('<a href="/techniques/T1003.001/">LSASS</a>');
    expect(first.html).toContain('<a href="#t1-cite-1">[1]</a>');
    expect(first.citations).toEqual(['Alpha']);
    // The same text again, under another prefix: its own anchors, not the first one's.
    expect(render(text, 'd-').html).toContain('<a href="#d-cite-1">[1]</a>');
    expect(render(text, 't1-')).toEqual(first);
    expect(render(undefined)).toEqual({ html: '', citations: [] });
  });
});

describe('tier badges (tierBadgeHtml)', () => {
  it('prints the tier class and its label, as TierBadge.astro does', () => {
    expect(tierBadgeHtml(1)).toBe('<span class="tier tier-1">observed</span>');
    expect(tierBadgeHtml(6)).toBe('<span class="tier tier-6">other platform</span>');
  });
});
