/**
 * Cache keys of the list pages (site/list-keys.ts through cache-keys.ts pageKeys): a key changes
 * when something its page prints changes — a row's entity, a count, the rows of its slice, the
 * layout's globals — and stays when the page does not show the change. Keys are taken for every
 * list page as the routes' getStaticPaths take them, on the fixture catalog and on a hand-made one
 * long enough to be paged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { PAGE_KEYS_ENV, pageKeys } from '../../src/lib/site/cache-keys.ts';
import { buildModel, RULE_FACETS, type SiteModel } from '../../src/lib/site/model.ts';
import { listLength, pageCount, pagedLists, PAGE_ROWS } from '../../src/lib/site/paging.ts';
import { gapFacetPages } from '../../src/lib/site/trust-views.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { GAP_KINDS } from '../../src/lib/trust/gaps.ts';
import { catalog as makeCatalog, rule } from '../catalog/entities.ts';
import { fixtureCatalog } from './fixture-site.ts';

const fixture = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;

// Keys are made for a render with a page cache, as scripts/site.ts then asks for them.
process.env[PAGE_KEYS_ENV] = '1';

/** A site model of the fixture catalog after `edit`, with its trust data as the pipeline derives it. */
function model(edit: (c: Catalog) => void = () => {}, base: Catalog = fixture): SiteModel {
  const catalog = structuredClone(base);
  edit(catalog);
  return buildModel({ ...catalog, trust: analyzeTrust(catalog) });
}

/** The key of every list page, by its path, as the routes' getStaticPaths give them. */
function listPageKeys(m: SiteModel): Map<string, string | undefined> {
  const keys = pageKeys(m);
  const out = new Map<string, string | undefined>();
  for (const t of m.catalog.tactics) out.set(`tactics/${t.id}`, keys.tactic(t.id));
  for (const facet of RULE_FACETS) out.set(`rules/by/${facet}/`, keys.ruleFacetIndex(facet));
  for (const facet of RULE_FACETS) for (const g of m.ruleFacets[facet]) out.set(`rules/by/${facet}/${g.slug}`, keys.ruleFacet(facet, g));
  for (const g of m.testsByPlatform) out.set(`tests/platform/${g.slug}`, keys.testFacet('platform', g));
  for (const g of m.testsByExecutor) out.set(`tests/executor/${g.slug}`, keys.testFacet('executor', g));
  for (const kind of GAP_KINDS) out.set(`gaps/${kind}/`, keys.gapKind(kind));
  for (const p of gapFacetPages(m)) out.set(`gaps/${p.kind}/${p.facet}/${p.slug}`, keys.gapFacet(p));
  for (const ls of m.logsources) out.set(`logsources/${ls.slug}`, keys.logsource(ls));
  for (const t of m.tags) if (t.target.kind === 'tag') out.set(`tags/${t.slug}`, keys.tag(t));
  for (const list of pagedLists(m)) {
    for (let page = 2; page <= pageCount(listLength(list)); page += 1) out.set(`${list.url}page/${page}/`, keys.pagedList(list, page));
  }
  return out;
}

/** The key of every rule, technique and test page. */
function entityPageKeys(m: SiteModel): Map<string, string | undefined> {
  const keys = pageKeys(m);
  const out = new Map<string, string | undefined>();
  for (const r of m.catalog.rules) out.set(`rules/${r.slug}`, keys.rule(r.slug));
  for (const t of m.catalog.techniques) out.set(`techniques/${t.id}`, keys.technique(t.id));
  for (const t of m.catalog.tests) out.set(`tests/${t.guid}`, keys.test(t.guid));
  for (const t of m.trust.removed) out.set(`rules/${t.slug} (removed)`, keys.removedRule(t.slug));
  return out;
}

/** Pages whose key differs between two models, or that only one of them has. */
function changed(a: SiteModel, b: SiteModel, pages = listPageKeys): string[] {
  const ka = pages(a);
  const kb = pages(b);
  return [...new Set([...ka.keys(), ...kb.keys()])].filter((page) => ka.get(page) !== kb.get(page)).sort();
}

const POWERSHELL = '9b2e7a31-4f0c-4a6e-8d51-2a5f3c6d7e80';
const NET = '1c67a717-32ba-409b-a45d-0fb704a73a81';
const CORRELATION = 'c0c0c0c0-aaaa-4bbb-8ccc-dddddddddddd';
const RUNDLL_TEST = 'c1d2e3f4-0003-4a5b-8c6d-7e8f9a0b1c2d';

describe('list page keys on the fixture catalog', () => {
  const before = model();

  it('are the same for the same catalog, and one per page', () => {
    const keys = listPageKeys(before);
    expect(listPageKeys(model())).toEqual(keys);
    expect(keys.size).toBeGreaterThan(30);
    expect(new Set(keys.values()).size).toBe(keys.size);
  });

  it("a rule's title: the pages listing the rule, and no other", () => {
    const after = model((c) => (c.rules.find((r) => r.slug === POWERSHELL)!.title = 'Encoded PowerShell, edited'));
    expect(changed(before, after)).toEqual([
      'logsources/windows-process_creation',
      'rules/by/category/process_creation',
      'rules/by/collection/rules',
      'rules/by/level/high',
      'rules/by/product/windows',
      'rules/by/status/stable',
      'rules/by/tactic/defense-evasion',
      'rules/by/tactic/execution',
      'tags/detection.threat-hunting',
    ]);
  });

  it("a rule gone from the catalog while its technique still names it: the tactic page's active-rule count", () => {
    const after = model((c) => (c.rules = c.rules.filter((r) => r.slug !== CORRELATION)));
    expect(after.technique('T1049')!.rules).toContain(CORRELATION);
    const pages = changed(before, after);
    expect(pages.filter((p) => p.startsWith('tactics/'))).toEqual(['tactics/discovery']);
    expect(pages).toContain('rules/by/level/medium');
    expect(pages).not.toContain('rules/by/level/high');
    // The facet indexes count rules.
    expect(pages).toContain('rules/by/level/');
  });

  it('a technique (not its name, which every page may print): its tactic page and the gap pages listing it', () => {
    const after = model((c) => (c.techniques.find((t) => t.id === 'T1218.011')!.description = 'Edited.'));
    const pages = changed(before, after);
    expect(pages).toContain('tactics/defense-evasion');
    expect(pages.filter((p) => !p.startsWith('gaps/techniques/'))).toEqual(['tactics/defense-evasion']);
    expect(pages.some((p) => p.startsWith('gaps/techniques/'))).toBe(true);
  });

  it("a test's name: its platform, executor and gap pages, and no rule list", () => {
    const after = model((c) => (c.tests.find((t) => t.guid === RUNDLL_TEST)!.name = 'Rundll32, renamed'));
    const pages = changed(before, after);
    expect(pages.filter((p) => !p.startsWith('gaps/tests/'))).toEqual(['tests/executor/command_prompt', 'tests/platform/windows']);
    expect(pages.some((p) => p.startsWith('gaps/tests/'))).toBe(true);
  });

  it("a retired rule's title: its page, the pages listing it and its replacement's page, not every page", () => {
    const OLD_NET = 'e2b1c7a0-3f4d-4e5a-9b8c-7d6e5f4a3b21';
    const after = model((c) => (c.rules.find((r) => r.slug === OLD_NET)!.title = 'Old Net, edited'));
    expect(after.trust.tombstone(OLD_NET)?.replacements.map((r) => r.slug)).toEqual([NET]);
    const entities = changed(before, after, entityPageKeys);
    expect(entities).toContain(`rules/${OLD_NET}`);
    expect(entities).toContain(`rules/${NET}`);
    expect(entities).toContain('techniques/T1049');
    expect(entities).not.toContain(`rules/${POWERSHELL}`);
    expect(entities).not.toContain('techniques/T1490');
    expect(changed(before, after)).toContain('rules/by/status/deprecated');
    expect(changed(before, after)).not.toContain('rules/by/status/stable');
  });

  it('a rule removed since the previous build: its tombstone page and the rule naming it, not every page', () => {
    const REMOVED = 'a1a1a1a1-2222-4333-8444-555566667777';
    const SHADOW = 'b7c6d5e4-1111-4c2d-9e8f-a0b1c2d3e4f5'; // names it as `merged` in its related list
    expect(before.trust.removed.map((t) => t.slug)).toEqual([REMOVED]);
    const retitled = model((c) => (c.changes!.rules.removed[0]!.title = 'Shadow Copy Deletion (Old), edited'));
    expect(changed(before, retitled, entityPageKeys)).toEqual([`rules/${REMOVED} (removed)`, `rules/${SHADOW}`]);
    expect(changed(before, retitled)).toEqual([]);
    // A change list with no removed rule (none removed, none carried over): the tombstone page goes, the rule naming it changes, no other page.
    const none = model((c) => (c.changes!.rules.removed = []));
    expect(changed(before, none, entityPageKeys)).toEqual([`rules/${REMOVED} (removed)`, `rules/${SHADOW}`]);
    expect(changed(before, none)).toEqual([]);
    // A change list that carries removed rules (`gone`): they stand for the removed list, whichever build removed them.
    const carried = (title: string) =>
      model((c) => {
        c.changes!.gone = [{ ...c.changes!.rules.removed[0]!, title }];
        c.changes!.rules.removed = [];
      });
    expect(carried('Shadow Copy Deletion Via Vssadmin (Old)').trust.removed.map((t) => t.slug)).toEqual([REMOVED]);
    expect(changed(carried('Old'), carried('Old, edited'), entityPageKeys)).toEqual([`rules/${REMOVED} (removed)`, `rules/${SHADOW}`]);
    expect(changed(before, carried('Shadow Copy Deletion Via Vssadmin (Old)'), entityPageKeys)).toEqual([]);
    // A removed rule whose permalink is not its id (one of two rules sharing an id) is still found by id.
    const renamed = (title: string) => model((c) => Object.assign(c.changes!.rules.removed[0]!, { slug: `${REMOVED}-2`, title }));
    expect(changed(renamed('Old'), renamed('Old, edited'), entityPageKeys)).toEqual([`rules/${REMOVED}-2 (removed)`, `rules/${SHADOW}`]);
  });

  it('the count of input files (a rule file added or deleted) is not on any keyed page', () => {
    const after = model((c) => (c.stats.files.sigma = (c.stats.files.sigma ?? 0) + 1));
    expect(changed(before, after)).toEqual([]);
    expect(changed(before, after, entityPageKeys)).toEqual([]);
  });

  it("the layout's globals (the site title) reach every page", () => {
    const after = model((c) => (c.title = 'Another atlas'));
    expect(changed(before, after)).toEqual([...listPageKeys(before).keys()].sort());
  });
});

describe('keys of a long, paged list', () => {
  // 900 rules titled in list order: /rules/ has pages 1 (rules/index.astro), 2 and 3.
  const long = makeCatalog({ rules: Array.from({ length: 900 }, (_, i) => rule(`r${String(i).padStart(4, '0')}`, { level: 'high' })) });
  const before = model(() => {}, long);
  const title = (slug: string, text: string) => (c: Catalog) => (c.rules.find((r) => r.slug === slug)!.title = text);

  it('an edit that keeps the order: only the page holding the rule, in each list', () => {
    const slug = `r${String(2 * PAGE_ROWS + 10).padStart(4, '0')}`;
    const after = model(title(slug, `Rule ${slug} edited`), long);
    const pages = changed(before, after);
    // Every rule is in every list here (one level, status, log source …): page 3 of each.
    expect(pages).toContain('/rules/page/3/');
    expect(pages).toContain('/rules/by/level/high/page/3/');
    // And the overview of rules without tests (all of them here), keyed by every row whether it prints them or not.
    expect(pages.filter((p) => !p.endsWith('/page/3/'))).toEqual(['gaps/rules/']);
  });

  it('an edit that moves a rule to the front: every page whose slice shifts', () => {
    const after = model(title('r0850', 'A rule first in the list'), long);
    const pages = changed(before, after);
    expect(pages.filter((p) => p.startsWith('/rules/page/'))).toEqual(['/rules/page/2/', '/rules/page/3/']);
    // Page 1 of the level facet is a page of its own route.
    expect(pages).toContain('rules/by/level/high');
  });
});

describe('entity page keys', () => {
  it("a correlation rule naming its rule by a Sigma name longer than 200 characters: the rule's title reaches it", () => {
    const long = `net_${'x'.repeat(210)}`;
    const withName = (c: Catalog) => {
      c.rules.find((r) => r.slug === NET)!.name = long;
      c.rules.find((r) => r.slug === CORRELATION)!.correlation!.rules = [long];
    };
    const before = model(withName);
    const after = model((c) => {
      withName(c);
      c.rules.find((r) => r.slug === NET)!.title = 'Net, renamed';
    });
    expect(changed(before, after, entityPageKeys)).toContain(`rules/${CORRELATION}`);
  });
});

describe('without a page cache', () => {
  it('no page gets a key, and none is computed', () => {
    const m = model();
    const keyed = [...listPageKeys(m).values(), ...entityPageKeys(m).values()];
    expect(keyed.length).toBeGreaterThan(50);
    expect(keyed.every((k) => typeof k === 'string' && k.length === 32)).toBe(true);
    delete process.env[PAGE_KEYS_ENV];
    try {
      // A model that throws when read: building keys would read it.
      const untouched = new Proxy(m, {
        get: (_target, prop) => {
          throw new Error(`pageKeys read model.${String(prop)}`);
        },
      });
      const none = [...listPageKeys(m).values(), ...entityPageKeys(m).values()];
      expect(none).toHaveLength(keyed.length);
      expect(none.every((k) => k === undefined)).toBe(true);
      expect(pageKeys(untouched).rule(m.catalog.rules[0]!.slug)).toBeUndefined();
    } finally {
      process.env[PAGE_KEYS_ENV] = '1';
    }
  });
});
