/**
 * Cache keys of the list pages (see cache-keys.ts for what a key is and why it must be generous):
 * tactic pages, rule facet indexes and pages, test facet pages, gap kind and gap facet pages, log
 * source and tag pages, and pages 2… of long lists. Each key hashes the page's view model as the page builds it — its heading and counts,
 * and the rows of the one page it prints, each row's entity whole (as its digest, computed once per
 * entity) with whatever the row adds to it (an active-rule count, a shared-tag count). A page of a
 * long list is keyed by its own slice: an edit that moves rows between pages changes the slices,
 * and so the keys, of every page it reaches.
 */
import type { CatalogRule, CatalogTest } from '../catalog/types.ts';
import type { Group } from './facets.ts';
import { tacticTechniques } from './lists.ts';
import type { LogSourceGroup, RuleFacet, SiteModel, TagGroup } from './model.ts';
import { listLength, PAGE_ROWS, pageSlice, type PagedList } from './paging.ts';
import { gapFacetPages, gapItems, type GapFacetPage, type GapItems } from './trust-views.ts';
import type { GapKind } from '../trust/gaps.ts';

export interface ListKeys {
  /** A tactic page: its techniques with their active-rule and test counts, and its rule facet link. */
  tactic(id: string): string;
  /** A facet's values with their rule and active-rule counts (`/rules/by/<facet>/`). */
  ruleFacetIndex(facet: RuleFacet): string;
  /** Page 1 of the rules with one value of a facet (`/rules/by/<facet>/<value>/`). */
  ruleFacet(facet: RuleFacet, group: Group<CatalogRule>): string;
  /** Page 1 of the tests of one platform or executor. */
  testFacet(facet: 'platform' | 'executor', group: Group<CatalogTest>): string;
  /** One gap kind: its counts, its tactic and platform pages, and its list when short enough to print. */
  gapKind(kind: GapKind): string;
  /** Page 1 of one gap kind's list for one tactic or platform. */
  gapFacet(page: GapFacetPage): string;
  /** Page `page` (2…) of a long list (src/pages/[...paged].astro). */
  pagedList(list: PagedList, page: number): string;
  /** A log source page: its event mapping and page 1 of its rules. */
  logsource(ls: LogSourceGroup): string;
  /** A tag page (not an ATT&CK tag): all its rules. */
  tag(tag: TagGroup): string;
}

/** What list keys are built from (cache-keys.ts): entity digests and the key of a page's view model. */
export interface KeyParts {
  rule(slug: string): string;
  test(guid: string): string;
  technique(id: string): string;
  /** The page key: layout globals, the route's kind and the page's view model. */
  key(kind: string, parts: unknown[]): string;
}

/** A list's own fields without its rows (a field added to the list later is keyed by itself). */
function heading<T extends object>(list: T, ...rows: string[]): Record<string, unknown> {
  const head = { ...list } as Record<string, unknown>;
  for (const field of rows) delete head[field];
  return head;
}

export function listKeys(model: SiteModel, d: KeyParts): ListKeys {
  const rules = (list: readonly CatalogRule[]) => list.map((r) => d.rule(r.slug));
  const tests = (list: readonly CatalogTest[]) => list.map((t) => d.test(t.guid));
  /** The rows of a gap list from row `from` on, as GapList prints them. */
  const gapRows = (kind: GapKind, ids: string[], from: number, count = PAGE_ROWS) => {
    const items: GapItems = gapItems(model, kind, ids);
    const to = from + count;
    return [
      items.techniques.slice(from, to).map((t) => d.technique(t.id)),
      items.tests.slice(from, to).map(({ test, sharedTag }) => [d.test(test.guid), sharedTag]),
      items.rules.slice(from, to).map(({ rule, sharedTag }) => [d.rule(rule.slug), sharedTag]),
    ];
  };

  return {
    tactic(id) {
      const tactic = model.tactic(id);
      const rows = tactic ? tacticTechniques(model, tactic).map((row) => [d.technique(row.technique.id), row.activeRules, row.retired]) : [];
      const facet = model.ruleFacets.tactic.find((g) => g.value === id);
      return d.key('tactic', [tactic ?? null, rows, facet ? [facet.slug, facet.items.length] : null]);
    },
    ruleFacetIndex(facet) {
      const groups = model.ruleFacets[facet].map((g) => [heading(g, 'items'), g.items.length, g.items.filter((r) => r.active).length]);
      return d.key('rule facet index', [facet, groups]);
    },
    ruleFacet(facet, group) {
      return d.key('rule facet', [facet, heading(group, 'items'), group.items.length, rules(pageSlice(group.items, 1))]);
    },
    testFacet(facet, group) {
      return d.key('test facet', [facet, heading(group, 'items'), group.items.length, tests(pageSlice(group.items, 1))]);
    },
    gapKind(kind) {
      const set = model.trust.gaps[kind];
      const pages = gapFacetPages(model)
        .filter((p) => p.kind === kind)
        .map((p) => [heading(p, 'items'), p.items.length]);
      // Every row, whether or not the list is short enough for the page to print it.
      return d.key('gap kind', [kind, set.items.length, set.total, pages, gapRows(kind, set.items, 0, set.items.length)]);
    },
    gapFacet(page) {
      return d.key('gap facet', [heading(page, 'items'), page.items.length, gapRows(page.kind, page.items, 0)]);
    },
    pagedList(list, page) {
      const rows =
        list.kind === 'rules'
          ? rules(pageSlice(list.items, page))
          : list.kind === 'tests'
            ? tests(pageSlice(list.items, page))
            : gapRows(list.gap, list.ids, (page - 1) * PAGE_ROWS);
      return d.key('paged list', [heading(list, 'items', 'ids'), listLength(list), page, rows]);
    },
    logsource(ls) {
      return d.key('logsource', [heading(ls, 'rules'), ls.rules.length, rules(pageSlice(ls.rules, 1))]);
    },
    tag(tag) {
      return d.key('tag', [heading(tag, 'rules'), rules(tag.rules)]);
    },
  };
}
