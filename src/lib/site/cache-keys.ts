/**
 * Cache keys of the pages that may be taken from the previous build instead of rendered (the page
 * cache, scripts/page-store.ts, only with the atlas cache). A page is taken when the site's code is
 * unchanged and its key equals the last build's, so a key must change whenever anything the page prints changes: a key that misses an input publishes a
 * stale page. Keys therefore hash generously — whole entities rather than the fields a page
 * happens to show today:
 * - the layout's globals (title, provenance but for the source commits, whose footer line
 *   scripts/page-store.ts puts on the pages it takes afresh, base path, tactics and the technique index that
 *   markdown links, namesakes and coverage rows read);
 * - the page's own entity and its trust links, whole; a rule page also the tombstones of the
 *   removed rules its `related` names (it prints them as removed, and as replaced). They are not
 *   globals: every rule deletion would then render every page;
 * - every entity those name (a rule slug, rule id or name, test guid, technique id or indicator
 *   key found anywhere in them), whole;
 * - the second hop a page prints: the technique of each linked test, and on technique pages the
 *   rules linked to each of its tests (tests are shown in full there).
 * List pages (facets, tags, log sources, gaps, pages 2… of long lists) are keyed by list-keys.ts
 * from the same globals and entity digests. Static pages (the indexes) cannot take a key and are
 * rendered on every build.
 */
import { createHash } from 'node:crypto';
import type { Tombstone } from '../trust/tombstones.ts';
import type { CatalogIndicator, CatalogRule } from '../catalog/types.ts';
import type { FieldGroup } from './indicators.ts';
import { listKeys, type ListKeys } from './list-keys.ts';
import type { SiteModel } from './model.ts';

/** Bump when what a key covers changes without the pages' code changing. */
const KEY_VERSION = 1;

export interface PageKeys extends ListKeys {
  rule(slug: string): string;
  /** The tombstone page of a removed rule. */
  removedRule(slug: string): string;
  technique(id: string): string;
  test(guid: string): string;
  indicator(key: string): string;
  /** A field page (its indicators, or its slice list and most used ones). */
  field(group: FieldGroup): string;
  /** One slice of a field page too large for one. */
  fieldSlice(group: FieldGroup, indicators: CatalogIndicator[]): string;
}

/** The page keys as the routes ask for them: a key, or undefined when the render keeps no page cache. */
export type PageKeyBuilders = { [K in keyof PageKeys]: (...args: Parameters<PageKeys[K]>) => string | undefined };

/**
 * Set to `1` by scripts/site.ts when the render has a page cache (scripts/page-store.ts). Without
 * one no key is read, and the keys cost seconds of CPU on a large corpus: none are made.
 */
export const PAGE_KEYS_ENV = 'ATLAS_PAGE_KEYS';

const none = () => undefined;
/** Builders that give no key (a page without a key is always rendered). */
const NO_KEYS: PageKeyBuilders = {
  tactic: none,
  ruleFacetIndex: none,
  ruleFacet: none,
  testFacet: none,
  gapKind: none,
  gapFacet: none,
  pagedList: none,
  logsource: none,
  tag: none,
  rule: none,
  removedRule: none,
  technique: none,
  test: none,
  indicator: none,
  field: none,
  fieldSlice: none,
};

const hash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 32);

const memo = new WeakMap<SiteModel, PageKeys>();

/**
 * The keys of one site model, built once (getStaticPaths of several routes share it), when the
 * render keeps a page cache (PAGE_KEYS_ENV); otherwise builders that give none.
 */
export function pageKeys(model: SiteModel): PageKeyBuilders {
  if (process.env[PAGE_KEYS_ENV] !== '1') return NO_KEYS;
  let keys = memo.get(model);
  if (!keys) memo.set(model, (keys = buildKeys(model)));
  return keys;
}

function digests<T>(lookup: (k: string) => T | undefined): (k: string) => string {
  const done = new Map<string, string>();
  return (k) => {
    let d = done.get(k);
    if (d === undefined) {
      const value = lookup(k);
      done.set(k, (d = value === undefined ? '-' : hash(JSON.stringify(value))));
    }
    return d;
  };
}

/** Calls `f` with every string inside a JSON value (a plain recursion: generators were 5× slower on the corpus). */
function eachString(value: unknown, f: (s: string) => void): void {
  if (typeof value === 'string') f(value);
  else if (Array.isArray(value)) for (const v of value) eachString(v, f);
  else if (value && typeof value === 'object') for (const k in value) eachString((value as Record<string, unknown>)[k], f);
}

/** An entity, as `kind:key`, and once computed its tag `kind:digest`. */
interface Named {
  ref: string;
  tag?: string;
}

function buildKeys(model: SiteModel): PageKeys {
  const { catalog, trust } = model;
  const rule = digests(model.rule);
  const test = digests(model.test);
  const technique = digests(model.technique);
  const indicator = digests(model.indicator);

  const global = hash(
    JSON.stringify({
      version: KEY_VERSION,
      // Sorting (localeCompare) and number formatting follow the runtime's ICU data.
      runtime: [process.versions.node, process.versions.icu ?? ''],
      base: process.env.ATLAS_BASE ?? '',
      site: process.env.ATLAS_SITE ?? '',
      title: catalog.title,
      repositoryUrl: catalog.repositoryUrl ?? null,
      repositoryRef: catalog.repositoryRef ?? null,
      // Without the source commits: copied pages get this build's footer (footer.ts).
      provenance: catalog.provenance
        ? { ...catalog.provenance, sources: catalog.provenance.sources.map(({ commit, commitDate, ...s }) => ({ ...s, git: commit !== undefined })) }
        : null,
      changes: !!catalog.changes,
      observed: catalog.observed ?? null,
      // Whether a bundle was read (provenance.ts notes what it lacks); not the file counts, which
      // every added or deleted rule file changes and only the (unkeyed) home page prints.
      attackBundle: !!catalog.stats.files.attack,
      tactics: catalog.tactics.map((t) => [t.id, t.name, t.externalId, t.source, t.order, t.url]),
      techniques: catalog.techniques.map((t) => [t.id, t.name, t.url, t.parent, t.tactics, t.platforms, t.revoked, t.deprecated, t.revokedBy, t.source]),
    }),
  );

  // Every name an entity goes by (rule slug, id and Sigma name, test guid, technique id,
  // indicator key) → the entities it names, as `kind:key` with their tag `kind:digest`, computed
  // once on first use (a rule's indicators are named by every rule page sharing them).
  const entries = new Map<string, Named>();
  const entry = (ref: string) => {
    let e = entries.get(ref);
    if (!e) entries.set(ref, (e = { ref }));
    return e;
  };
  const names = new Map<string, Named[]>();
  const nameAs = (name: string | undefined, ref: string) => {
    if (!name) return;
    const e = entry(ref);
    const list = names.get(name);
    if (!list) names.set(name, [e]);
    else if (!list.includes(e)) list.push(e);
  };
  for (const r of catalog.rules) for (const n of [r.slug, r.id, r.name]) nameAs(n, `r:${r.slug}`);
  for (const t of catalog.tests) nameAs(t.guid, `t:${t.guid}`);
  for (const t of catalog.techniques) nameAs(t.id, `x:${t.id}`);
  for (const i of catalog.indicators) nameAs(i.key, `i:${i.key}`);
  const digestOf: Record<string, (k: string) => string> = { r: rule, t: test, x: technique, i: indicator };
  const tagOf = (e: Named) => (e.tag ??= `${e.ref[0]}:${digestOf[e.ref[0]!]!(e.ref.slice(2))}`);
  const tag = (ref: string) => tagOf(entry(ref));
  // Names are short (slugs, ids, guids); long indicator keys are named through `rule.indicators`
  // only, which `rule` adds itself. Looking every long text up (sources, command lines) cost a second.
  // Strings longer than every rule, test and technique name cannot name one; a correlation rule
  // finds its rules by Sigma name whatever its length (views.ts correlatedRules).
  let NAME_MAX = 200;
  for (const r of catalog.rules) for (const n of [r.slug, r.id, r.name]) if (n && n.length > NAME_MAX) NAME_MAX = n.length;
  for (const t of catalog.tests) NAME_MAX = Math.max(NAME_MAX, t.guid.length);
  for (const t of catalog.techniques) NAME_MAX = Math.max(NAME_MAX, t.id.length);

  /** Digests of the entities a value names, by whatever name it uses for them. */
  const named = (value: unknown, into: Set<string>) =>
    eachString(value, (s) => {
      if (s.length > NAME_MAX) return;
      const refs = names.get(s);
      if (refs) for (const e of refs) into.add(tagOf(e));
    });
  const key = (kind: string, parts: unknown[], refs: Set<string>) => hash([global, kind, JSON.stringify(parts), ...[...refs].sort()].join('\n'));
  /** A linked test's own technique (test rows print its id and name). */
  const testTechnique = (guid: string, into: Set<string>) => {
    const t = model.test(guid);
    if (t) into.add(`x:${technique(t.technique)}`);
  };

  /** What a field page says of its field besides the rows. */
  const fieldHead = (group: FieldGroup) => [group.segment, group.label, group.fields, group.rules, group.shared, group.indicators.length, group.sliceBits];

  const tagOrder = new Map(model.tags.map((t, i) => [t.tag, i]));
  /** The rule's tag groups, in the model's order. */
  const tagGroups = (r: CatalogRule) =>
    [...new Set(r.tags.map((t) => tagOrder.get(t)).filter((i) => i !== undefined))].sort((a, b) => a - b).map((i) => model.tags[i]!);
  const ruleGroups = (r: CatalogRule) => [
    model.ruleFacets.collection.find((g) => g.value === r.collection)?.slug ?? null,
    model.logsourceOf(r)?.slug ?? null,
    tagGroups(r).map((t) => [t.tag, t.slug, t.target]),
  ];

  return {
    ...listKeys(model, { rule, test, technique, key: (kind, parts) => key(kind, parts, new Set()) }),
    rule(slug) {
      const r = model.rule(slug);
      const refs = new Set<string>();
      const testLinks = trust.testLinksOfRule(slug);
      const techniqueLinks = trust.techniqueLinksOfRule(slug);
      const references = trust.referencesOfRule(slug);
      const tombstone = trust.tombstone(slug);
      // Related rules the catalog lacks are shown through their tombstone when they were removed
      // (related and replaced rules), looked up by id.
      const relatedTombstones = (r?.related ?? []).map((rel) => trust.removedById.get(rel.id.toLowerCase()) ?? null);
      named([r, testLinks, techniqueLinks, references, tombstone, relatedTombstones], refs);
      for (const l of testLinks) testTechnique(l.test, refs);
      for (const ref of r?.indicators ?? []) refs.add(tag(`i:${ref.key}`));
      for (const id of r?.techniques ?? []) {
        const parent = model.technique(id)?.parent;
        if (parent) refs.add(`x:${technique(parent)}`);
      }
      return key('rule', [rule(slug), r ? ruleGroups(r) : null, testLinks, techniqueLinks, references, tombstone ?? null, relatedTombstones], refs);
    },
    removedRule(slug) {
      const tombstone: Tombstone | undefined = trust.tombstone(slug);
      const refs = new Set<string>();
      named(tombstone, refs);
      return key('removed', [tombstone ?? null], refs);
    },
    technique(id) {
      const t = model.technique(id);
      const refs = new Set<string>();
      const ids = [id, ...(t?.subtechniques ?? [])];
      const techniqueLinks = ids.map((x) => trust.techniqueLinksOfTechnique(x));
      named([t, techniqueLinks], refs);
      if (t?.revokedBy) refs.add(`x:${technique(t.revokedBy)}`);
      // Tests are shown in full (with their linked rules) on pages with few of them.
      const testLinks = (t?.tests ?? []).map((g) => trust.testLinksOfTest(g));
      named(testLinks, refs);
      return key('technique', [technique(id), techniqueLinks, testLinks], refs);
    },
    test(guid) {
      const t = model.test(guid);
      const refs = new Set<string>();
      const testLinks = trust.testLinksOfTest(guid);
      named([t, testLinks], refs);
      return key('test', [test(guid), testLinks], refs);
    },
    indicator(k) {
      const refs = new Set<string>();
      named(model.indicator(k), refs);
      return key('indicator', [indicator(k)], refs);
    },
    field(group) {
      // Rows print each indicator and, for one used by a single rule, that rule's title.
      const refs = new Set<string>();
      named(
        group.indicators.map((i) => i.rules),
        refs,
      );
      return key('field', [fieldHead(group), group.indicators.map((i) => indicator(i.key))], refs);
    },
    fieldSlice(group, indicators) {
      const refs = new Set<string>();
      named(
        indicators.map((i) => i.rules),
        refs,
      );
      return key('field slice', [fieldHead(group), indicators.map((i) => indicator(i.key))], refs);
    },
  };
}
