/**
 * The change list: rules and Atomic tests added, modified (which fields), deprecated and removed
 * between the previous build and this catalog. Pure and deterministic: dates come from the rules
 * (git or their own `date`/`modified`), never from the clock.
 */
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { SIGMA_YAML_SCHEMA } from '../sigma/yaml-schema.ts';
import type { AtomicTest } from '../atomic/types.ts';
import type { SigmaRule } from '../sigma/rule.ts';
import { compareStrings } from '../order.ts';
import type { PreviousBuild, PreviousRule, PreviousTest } from './previous.ts';
import type { Changes, FeedEntry, RuleChange, RuleChangeKind, RuleMove, TestChange } from './types.ts';

/** Atomic test keys compared for "modified" (numbers and anchors shift when a neighbour goes, so they are left out). */
const TEST_FIELDS = [
  'name',
  'description',
  'technique',
  'platforms',
  'executor',
  'elevationRequired',
  'command',
  'cleanup',
  'steps',
  'inputArguments',
  'dependencies',
  'dependencyExecutor',
] as const;

const FEED_LENGTH = 200;

/** What the diff reads of a current rule (a catalog rule is one): its text, where it is, its page and dates. */
export type CurrentRule = Pick<SigmaRule, 'id' | 'title' | 'path' | 'document' | 'collection' | 'status' | 'level' | 'source' | 'active'> & {
  slug: string;
  url: string;
  created?: string;
  lastModified?: string;
};

/** What the diff reads of a current Atomic test (a catalog test is one). */
export type CurrentTest = Pick<AtomicTest, 'guid' | 'number' | (typeof TEST_FIELDS)[number]> & { url: string };

type Rule = PreviousRule | CurrentRule;

/**
 * `ruleUrl` is the page of a slug (catalog/urls.ts, passed in: the catalog's types import this
 * folder's), for the tombstone of a removed rule.
 */
export function diffBuilds(previous: PreviousBuild, catalog: { rules: CurrentRule[]; tests: CurrentTest[] }, ruleUrl: (slug: string) => string): Changes {
  const date = newestDate(catalog.rules);
  /** The text of the version each change produced (or removed), for feed entry ids. */
  const versions = new Map<RuleChange | TestChange, string>();
  const rules: Changes['rules'] = { added: [], modified: [], deprecated: [], removed: [] };
  const { pairs, added, removed } = matchRules(previous.rules, catalog.rules);
  for (const [before, after] of pairs) {
    if (before.source === after.source && before.path === after.path) continue;
    const fields = [...changedKeys(before.source, after.source), ...(before.path === after.path ? [] : ['path'])].sort(compareStrings);
    const kind = before.active && !after.active ? 'deprecated' : 'modified';
    const date = after.lastModified ?? after.created;
    const entry = { ...ruleEntry(after), url: after.url, ...(date && { date }), fields: fields.length ? fields : ['source'] };
    rules[kind].push(entry);
    versions.set(entry, after.source);
  }
  for (const r of added) {
    const date = r.created ?? r.lastModified;
    const entry = { ...ruleEntry(r), url: r.url, ...(date && { date }) };
    rules.added.push(entry);
    versions.set(entry, r.source);
  }
  for (const r of removed) {
    const entry = ruleEntry(r);
    rules.removed.push(entry);
    versions.set(entry, r.source);
  }

  const tests: Changes['tests'] = { added: [], modified: [], removed: [] };
  const before = new Map(previous.tests.map((t) => [t.guid, t]));
  for (const t of catalog.tests) {
    const old = before.get(t.guid);
    before.delete(t.guid);
    const fields = old ? TEST_FIELDS.filter((f) => canonical(old[f]) !== canonical(t[f])) : [];
    if (old && !fields.length) continue;
    const entry = { ...testEntry(t), url: t.url, ...(old && { fields }) };
    tests[old ? 'modified' : 'added'].push(entry);
    versions.set(entry, testVersion(t));
  }
  for (const t of before.values()) {
    const entry = testEntry(t);
    tests.removed.push(entry);
    versions.set(entry, testVersion(t));
  }

  for (const list of Object.values(rules)) list.sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.slug, b.slug));
  for (const list of Object.values(tests))
    list.sort((a, b) => compareStrings(a.technique, b.technique) || a.number - b.number || compareStrings(a.guid, b.guid));
  const count = <K extends string>(lists: Record<K, unknown[]>) =>
    Object.fromEntries(Object.entries<unknown[]>(lists).map(([k, v]) => [k, v.length])) as Record<K, number>;
  const changes: Changes = {
    date,
    previous: { rules: previous.rules.length, tests: previous.tests.length },
    summary: { rules: count(rules), tests: count(tests) },
    rules,
    tests,
    feed: [],
  };
  changes.gone = stillGone([...rules.removed, ...previous.gone], catalog.rules);
  const tombstones = new Set(changes.gone.map((r) => r.slug));
  for (const r of rules.removed) if (tombstones.has(r.slug)) r.url = ruleUrl(r.slug);
  changes.moved = stillMoved(pairs, removed, previous.moved, catalog.rules, changes.gone);
  changes.feed = mergeFeeds(feedEntries(changes, versions), previous.feed);
  return changes;
}

/**
 * The old addresses of rules whose slug changed while the rule stayed: this build's (a pair of
 * versions with two slugs; a removed rule whose id another file still has, such as the `-2` of a
 * shared id, leads to that rule's page, the id's permalink) and the earlier ones carried over,
 * each leading to where its rule's page is now (moved again, or a tombstone). Dropped once a page
 * takes the old address, or when the page it led to is gone without a tombstone.
 */
function stillMoved(
  pairs: [PreviousRule, CurrentRule][],
  removed: PreviousRule[],
  earlier: RuleMove[],
  current: CurrentRule[],
  gone: RuleChange[],
): RuleMove[] {
  const now = new Map(pairs.map(([before, after]) => [before.slug, after.slug]));
  const pages = new Set([...current.map((r) => r.slug), ...gone.map((r) => r.slug)]);
  const byId = new Map<string, string>(); // lower-case id → the first slug holding it
  for (const r of [...current].sort((a, b) => compareStrings(a.slug, b.slug))) if (r.id && !byId.has(r.id.toLowerCase())) byId.set(r.id.toLowerCase(), r.slug);
  const moved = new Map<string, string>();
  const offer = (from: string, to: string | undefined) => {
    if (to !== undefined && from !== to && !pages.has(from) && pages.has(to) && !moved.has(from)) moved.set(from, to);
  };
  for (const [before, after] of pairs) offer(before.slug, after.slug);
  for (const r of removed) if (r.id) offer(r.slug, byId.get(r.id.toLowerCase()));
  for (const m of earlier) offer(m.from, now.get(m.to) ?? m.to);
  return [...moved].map(([from, to]) => ({ from, to })).sort((a, b) => compareStrings(a.from, b.from));
}

/**
 * The removed rules whose permalink stays a tombstone page: this build's and the earlier ones
 * carried over, once per slug, but for those whose slug or id a current rule has taken (its
 * page is then the permalink).
 */
function stillGone(removed: RuleChange[], current: CurrentRule[]): RuleChange[] {
  const slugs = new Set(current.map((r) => r.slug));
  const ids = new Set(current.flatMap((r) => (r.id ? [r.id.toLowerCase()] : [])));
  const gone = new Map<string, RuleChange>();
  for (const r of removed) {
    if (gone.has(r.slug) || slugs.has(r.slug) || (r.id && ids.has(r.id.toLowerCase()))) continue;
    gone.set(r.slug, ruleEntry(r));
  }
  return [...gone.values()].sort((a, b) => compareStrings(a.path, b.path) || compareStrings(a.slug, b.slug));
}

/**
 * Pairs each previous rule with its current version: by id when the id is unique on both sides,
 * then by file and document (rules without an id, or with a duplicated one).
 */
function matchRules(before: PreviousRule[], after: CurrentRule[]) {
  const pairs: [PreviousRule, CurrentRule][] = [];
  const byId = <R extends Rule>(rules: R[]) => {
    const map = new Map<string, R[]>();
    for (const r of rules) if (r.id) map.set(r.id.toLowerCase(), [...(map.get(r.id.toLowerCase()) ?? []), r]);
    return map;
  };
  const beforeIds = byId(before);
  const afterIds = byId(after);
  const paired = new Set<Rule>();
  for (const [id, olds] of beforeIds) {
    const news = afterIds.get(id);
    if (olds.length === 1 && news?.length === 1) {
      pairs.push([olds[0], news[0]]);
      paired.add(olds[0]).add(news[0]);
    }
  }
  const where = (r: Rule) => `${r.path}#${r.document}`;
  const afterByPath = new Map(after.filter((r) => !paired.has(r)).map((r) => [where(r), r]));
  const removed: PreviousRule[] = [];
  for (const r of before) {
    if (paired.has(r)) continue;
    const match = afterByPath.get(where(r));
    if (match) {
      pairs.push([r, match]);
      paired.add(match);
      afterByPath.delete(where(r));
    } else removed.push(r);
  }
  return { pairs, added: after.filter((r) => !paired.has(r)), removed };
}

/** Top-level keys whose value differs between two versions of a rule's YAML (comments and layout do not count). */
function changedKeys(before: string, after: string): string[] {
  const a = parseKeys(before);
  const b = parseKeys(after);
  if (!a || !b) return ['source'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
  return keys.filter((k) => canonical(a[k]) !== canonical(b[k]));
}

/** A rule's YAML as one mapping (a legacy collection's documents are merged, later keys win). */
function parseKeys(source: string): Record<string, unknown> | undefined {
  try {
    const docs = yaml.loadAll(source, undefined, { schema: SIGMA_YAML_SCHEMA });
    return Object.assign({}, ...docs.filter((d) => d && typeof d === 'object' && !Array.isArray(d)));
  } catch {
    return undefined;
  }
}

/** JSON with sorted keys: equal values give equal text whatever order their keys were written in. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => compareStrings(x, y))) : v,
    ) ?? 'undefined'
  );
}

function ruleEntry(r: Pick<RuleChange, 'id' | 'slug' | 'title' | 'path' | 'collection' | 'status' | 'level'>): RuleChange {
  return {
    id: r.id,
    slug: r.slug,
    title: r.title,
    path: r.path,
    collection: r.collection,
    ...(r.status !== undefined && { status: r.status }),
    ...(r.level !== undefined && { level: r.level }),
  };
}

function testEntry(t: PreviousTest | CurrentTest): TestChange {
  return { guid: t.guid, technique: t.technique, number: t.number, name: t.name };
}

function testVersion(t: PreviousTest | CurrentTest): string {
  return canonical(TEST_FIELDS.map((f) => t[f]));
}

/** The newest created/last-modified day of any rule: the date of this build's changes. */
function newestDate(rules: CurrentRule[]): string {
  let newest = '1970-01-01';
  for (const r of rules) for (const d of [r.created, r.lastModified]) if (d && d > newest) newest = d;
  return newest;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Feed entries for this build's changes; an id names the change and the version it produced. */
function feedEntries(changes: Changes, versions: Map<RuleChange | TestChange, string>): FeedEntry[] {
  const entries: FeedEntry[] = [];
  for (const change of Object.keys(changes.rules) as RuleChangeKind[]) {
    for (const r of changes.rules[change]) {
      const fields = r.fields ? ` (${r.fields.join(', ')})` : '';
      entries.push({
        id: `urn:detection-atlas:rule:${encodeURIComponent(r.id.toLowerCase() || r.path)}:${change}:${shortHash(versions.get(r) ?? '')}`,
        updated: r.date ?? changes.date,
        kind: 'rule',
        change,
        title: `Rule ${change}: ${r.title}${fields}`,
        summary: [r.path, r.level && `level ${r.level}`, r.status && `status ${r.status}`].filter(Boolean).join(' · '),
        ...(r.url && { url: r.url }),
      });
    }
  }
  for (const change of Object.keys(changes.tests) as (keyof Changes['tests'])[]) {
    for (const t of changes.tests[change]) {
      const fields = t.fields ? ` (${t.fields.join(', ')})` : '';
      entries.push({
        id: `urn:detection-atlas:test:${encodeURIComponent(t.guid)}:${change}:${shortHash(versions.get(t) ?? '')}`,
        updated: changes.date,
        kind: 'test',
        change,
        title: `Atomic test ${change}: ${t.technique} #${t.number} ${t.name}${fields}`,
        summary: `${t.technique} Atomic Test #${t.number}`,
        ...(t.url && { url: t.url }),
      });
    }
  }
  return entries.sort((a, b) => compareStrings(b.updated, a.updated) || compareStrings(a.id, b.id));
}

/** This build's entries first, then the earlier ones not already present, up to FEED_LENGTH. */
function mergeFeeds(current: FeedEntry[], earlier: FeedEntry[]): FeedEntry[] {
  const seen = new Set(current.map((e) => e.id));
  return [...current, ...earlier.filter((e) => !seen.has(e.id))].slice(0, FEED_LENGTH);
}
