/**
 * Rules that are gone or retired keep their permalink: deprecated and unsupported rules keep
 * their page, a removed rule (when `changes` is known: removed in this build, or carried from
 * earlier ones in `changes.gone`) gets a tombstone page at its old URL, and each of them points to
 * what replaced it. Sigma's `related` says it
 * from either side: usually the new rule names the old one (`obsolete`, `merged`, `renamed`),
 * sometimes the old one names its successor, so both `related` and `relatedFrom` are read.
 */
import { compareStrings } from '../order.ts';
import type { RuleChange } from '../changes/types.ts';
import { ruleUrl } from '../catalog/urls.ts';
import type { Catalog, CatalogRule } from '../catalog/types.ts';

/** `related` types that mean one rule takes over from another. */
export const REPLACING_TYPES: ReadonlySet<string> = new Set(['obsolete', 'merged', 'renamed', 'derived']);

export type TombstoneReason = 'deprecated' | 'unsupported' | 'removed';

export interface Replacement {
  slug: string;
  id: string;
  title: string;
  active: boolean;
  /** The `related` type as written. */
  type: string;
  /** Who says so: the replacement names this rule (`names-it`), or this rule names the replacement (`named`). */
  via: 'names-it' | 'named';
}

export interface Tombstone {
  slug: string;
  id: string;
  title: string;
  path: string;
  reason: TombstoneReason;
  url: string;
  /** Active replacements first. */
  replacements: Replacement[];
}

/** A rule this one took over from (shown on its page as "replaces"). */
export interface Replaced {
  id: string;
  type: string;
  slug?: string;
  title?: string;
  reason?: TombstoneReason;
}

/** A rule by its slug. */
export type RuleLookup = (slug: string) => CatalogRule | undefined;

function retiredReason(rule: Pick<CatalogRule, 'status' | 'collection'>): TombstoneReason {
  return rule.status === 'unsupported' || rule.collection === 'unsupported' ? 'unsupported' : 'deprecated';
}

function byId(rules: CatalogRule[]): Map<string, CatalogRule> {
  const map = new Map<string, CatalogRule>();
  for (const r of rules) if (r.id && !map.has(r.id.toLowerCase())) map.set(r.id.toLowerCase(), r);
  return map;
}

function sortReplacements(list: Replacement[]): Replacement[] {
  const seen = new Set<string>();
  return list
    .filter((r) => !seen.has(r.slug) && seen.add(r.slug))
    .sort((a, b) => Number(b.active) - Number(a.active) || Number(a.via === 'named') - Number(b.via === 'named') || compareStrings(a.slug, b.slug));
}

function replacement(rule: CatalogRule, type: string, via: Replacement['via']): Replacement {
  return { slug: rule.slug, id: rule.id, title: rule.title, active: rule.active, type, via };
}

/** What replaced a rule still in the catalog. */
function replacementsOf(rule: CatalogRule, bySlug: RuleLookup): Replacement[] {
  const found: Replacement[] = [];
  for (const rel of rule.relatedFrom) {
    const other = rel.slug ? bySlug(rel.slug) : undefined;
    if (other && other !== rule && REPLACING_TYPES.has(rel.type)) found.push(replacement(other, rel.type, 'names-it'));
  }
  for (const rel of rule.related) {
    const other = rel.slug ? bySlug(rel.slug) : undefined;
    // An old rule naming another as its source (`derived`) or successor counts only when that one is live.
    if (other && other !== rule && other.active && REPLACING_TYPES.has(rel.type)) found.push(replacement(other, rel.type, 'named'));
  }
  return sortReplacements(found);
}

export function tombstones(catalog: Pick<Catalog, 'rules' | 'changes'>): Tombstone[] {
  const slugs = new Map(catalog.rules.map((r) => [r.slug, r]));
  const bySlug: RuleLookup = (slug) => slugs.get(slug);
  const ids = byId(catalog.rules);
  const out: Tombstone[] = catalog.rules
    .filter((r) => !r.active)
    .map((r) => ({ slug: r.slug, id: r.id, title: r.title, path: r.path, reason: retiredReason(r), url: r.url, replacements: replacementsOf(r, bySlug) }));
  for (const gone of removedRules(catalog)) {
    if (gone.id && ids.has(gone.id.toLowerCase())) continue; // the id lives on in another file: that rule's page is the permalink
    const found: Replacement[] = [];
    for (const r of catalog.rules) {
      for (const rel of r.related)
        if (gone.id && REPLACING_TYPES.has(rel.type) && rel.id.toLowerCase() === gone.id.toLowerCase()) found.push(replacement(r, rel.type, 'names-it'));
    }
    out.push({
      slug: gone.slug,
      id: gone.id,
      title: gone.title,
      path: gone.path,
      reason: 'removed',
      url: ruleUrl(gone.slug),
      replacements: sortReplacements(found),
    });
  }
  return out.sort((a, b) => compareStrings(a.slug, b.slug));
}

/** Rules removed in this build or an earlier one (the change list's `gone`), whose old permalink no live rule has taken. */
function removedRules(catalog: Pick<Catalog, 'rules' | 'changes'>): RuleChange[] {
  const taken = new Set(catalog.rules.map((r) => r.slug));
  return (catalog.changes?.gone ?? catalog.changes?.rules.removed ?? []).filter((r) => r.slug && !taken.has(r.slug));
}

/** The rules a rule took over from: those it names as obsolete/merged/renamed, and retired ones naming it as their successor. */
export function replacedBy(rule: CatalogRule, bySlug: RuleLookup, removed: Map<string, Tombstone>): Replaced[] {
  const out: Replaced[] = [];
  const seen = new Set<string>();
  const push = (r: Replaced) => {
    const key = r.id.toLowerCase();
    if (!seen.has(key)) (out.push(r), seen.add(key));
  };
  for (const rel of rule.related) {
    if (!REPLACING_TYPES.has(rel.type)) continue;
    const other = rel.slug ? bySlug(rel.slug) : undefined;
    // `derived` alone does not retire the source: it is "replaced" only when the source is retired.
    if (rel.type === 'derived' && other?.active) continue;
    const gone = removed.get(rel.id.toLowerCase());
    if (other) push({ id: rel.id, type: rel.type, slug: other.slug, title: other.title, ...(other.active ? {} : { reason: retiredReason(other) }) });
    else if (gone) push({ id: rel.id, type: rel.type, slug: gone.slug, title: gone.title, reason: 'removed' });
    else if (rel.type !== 'derived') push({ id: rel.id, type: rel.type });
  }
  for (const rel of rule.relatedFrom) {
    const other = rel.slug ? bySlug(rel.slug) : undefined;
    if (other && !other.active && rule.active && REPLACING_TYPES.has(rel.type)) {
      push({ id: other.id, type: rel.type, slug: other.slug, title: other.title, reason: retiredReason(other) });
    }
  }
  return out;
}
