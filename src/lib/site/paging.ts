/**
 * Long lists split into pages, so that no page of the site grows past a few hundred rows (a 4,000-row
 * table is ~1 MB of HTML and takes seconds to open). Page 1 stays at the list's own URL; page n is
 * `<list URL>page/<n>/`, a path no entity or facet page uses. Lists keep their order; pages are
 * slices of it, so the same input gives the same pages.
 */
import { FACET_LABELS, RULE_FACETS, type SiteModel } from './model.ts';
import type { CatalogRule, CatalogTest } from '../catalog/types.ts';
import type { GapKind } from '../trust/gaps.ts';
import { GAP_TITLES, gapFacetPages } from './trust-views.ts';
import { executorLabel, platformLabel } from './labels.ts';
import { urls } from './urls.ts';

/** Rows per page of a rule, test or gap table (a row is ~200–250 bytes: a page stays under ~100 KB). */
export const PAGE_ROWS = 400;

export function pageCount(total: number, size = PAGE_ROWS): number {
  return Math.max(1, Math.ceil(total / size));
}

/** Items of page `page` (1-based). */
export function pageSlice<T>(items: readonly T[], page: number, size = PAGE_ROWS): T[] {
  return items.slice((page - 1) * size, page * size);
}

/** URL of page `page` of the list at `listUrl` (a URL ending in `/`). */
export function pageUrl(listUrl: string, page: number): string {
  return page <= 1 ? listUrl : `${listUrl}page/${page}/`;
}

/** The rules sorted by last change (modified, else date), newest first: the /rules/by/date/ order. */
export function rulesByDate(rules: readonly CatalogRule[]): CatalogRule[] {
  const changed = (r: { modified?: string; date?: string }) => r.modified ?? r.date ?? '';
  return [...rules].sort((a, b) => changed(b).localeCompare(changed(a), 'en') || a.title.localeCompare(b.title, 'en'));
}

interface ListBase {
  /** The list's own URL (with base), where page 1 is. */
  url: string;
  title: string;
  heading: string;
  crumbs: Array<{ label: string; href: string }>;
}

/** A long list of the site whose pages 2… are rendered by src/pages/[...paged].astro. */
export type PagedList = ListBase &
  (
    | { kind: 'rules'; items: CatalogRule[]; logsource?: boolean; date?: boolean }
    | { kind: 'tests'; items: CatalogTest[] }
    | { kind: 'gaps'; gap: GapKind; ids: string[] }
  );

export function listLength(list: PagedList): number {
  return list.kind === 'gaps' ? list.ids.length : list.items.length;
}

/** Every list page of the site that can grow long, as its page 1 shows it. */
export function pagedLists(model: SiteModel): PagedList[] {
  const rulesCrumb = [{ label: 'Rules', href: urls.rules() }];
  const testsCrumb = [{ label: 'Atomic tests', href: urls.tests() }];
  const lists: PagedList[] = [
    { kind: 'rules', url: urls.rules(), title: 'Rules', heading: 'Rules', crumbs: rulesCrumb, items: model.rulesSorted },
    {
      kind: 'rules',
      url: urls.ruleFacet('date'),
      title: 'Rules by date',
      heading: 'Rules by date',
      crumbs: rulesCrumb,
      items: rulesByDate(model.catalog.rules),
      date: true,
    },
  ];
  for (const facet of RULE_FACETS) {
    for (const group of model.ruleFacets[facet]) {
      const value = (facet === 'tactic' ? (model.tactic(group.value)?.name ?? group.value) : group.value) || 'none';
      lists.push({
        kind: 'rules',
        url: urls.ruleFacetValue(facet, group.slug),
        title: `Rules: ${FACET_LABELS[facet].toLowerCase()} ${value}`,
        heading: `${FACET_LABELS[facet]}: ${value}`,
        crumbs: [...rulesCrumb, { label: `by ${FACET_LABELS[facet].toLowerCase()}`, href: urls.ruleFacet(facet) }],
        items: group.items,
      });
    }
  }
  for (const ls of model.logsources) {
    lists.push({
      kind: 'rules',
      url: urls.logsource(ls.slug),
      title: `Log source ${ls.label}`,
      heading: `Log source: ${ls.label}`,
      crumbs: [{ label: 'Log sources', href: urls.logsources() }],
      items: ls.rules,
      logsource: false,
    });
  }
  const testFacets = [
    { facet: 'platform', name: 'Platform', groups: model.testsByPlatform, label: platformLabel },
    { facet: 'executor', name: 'Executor', groups: model.testsByExecutor, label: executorLabel },
  ] as const;
  for (const { facet, name, groups, label: labelOf } of testFacets) {
    for (const group of groups) {
      const label = labelOf(group.value);
      lists.push({
        kind: 'tests',
        url: urls.testFacetValue(facet, group.slug),
        title: `Atomic tests: ${label}`,
        heading: `${name}: ${label}`,
        crumbs: testsCrumb,
        items: group.items,
      });
    }
  }
  for (const page of gapFacetPages(model)) {
    lists.push({
      kind: 'gaps',
      url: urls.gapFacet(page.kind, page.facet, page.slug),
      title: `${GAP_TITLES[page.kind]}: ${page.label}`,
      heading: `${GAP_TITLES[page.kind]}: ${page.label}`,
      crumbs: [
        { label: 'Coverage gaps', href: urls.gaps() },
        { label: GAP_TITLES[page.kind], href: urls.gapKind(page.kind) },
      ],
      gap: page.kind,
      ids: page.items,
    });
  }
  return lists;
}
