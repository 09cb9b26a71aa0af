/**
 * Old URLs that lead to a rule's permalink (`/rules/<slug>/`):
 * - `file-name`: `/rules/file/<file name without extension>/`, the address many sites use;
 * - `moved`: the old slug of a rule that lives on under another (an id edited in place, the
 *   `-2` address of a shared id that became the id's own or whose rule was deleted), carried by
 *   the change list (changes/diff.ts stillMoved);
 * - `replaced-id`: the id of a rule that is no longer in the corpus, named as obsolete, merged
 *   or renamed by a rule that is.
 * Each becomes a static page with a meta refresh and a canonical link (no JavaScript).
 * Ids are not redirected in other letter cases: `/rules/ABC/` beside `/rules/abc/` would
 * overwrite the real page when the site is copied to a case-insensitive file system.
 */
import { compareStrings } from '../order.ts';
import { safeSegment } from '../slug.ts';
import { REPLACING_TYPES, type Tombstone } from './tombstones.ts';
import type { CatalogIndicator, CatalogRule, CatalogTechnique } from '../catalog/types.ts';
import type { RuleMove } from '../changes/types.ts';
import { indicatorPageUrl, ruleFileUrl, ruleUrl } from '../catalog/urls.ts';
import { indicatorId, indicatorKey } from '../indicators/extract.ts';

export type RedirectReason = 'file-name' | 'moved' | 'replaced-id' | 'revoked-technique' | 'all-modifier';

export interface Redirect {
  /** Site path, e.g. `/rules/file/proc_creation_win_net_use/`. */
  from: string;
  /** The permalink: a rule's or a tombstone's `url`. */
  to: string;
  reason: RedirectReason;
}

/** Where a file's old address leads: live active rules first, then retired ones, then removed ones; the first document of a file. */
interface Target {
  url: string;
  path: string;
  document: number;
  rank: number;
}

export function fileSegment(path: string): string {
  const name = path.split('/').pop() ?? path;
  return safeSegment(name.replace(/\.ya?ml$/i, ''), 'rule');
}

export function redirects(rules: CatalogRule[], tombstones: Tombstone[], moved: readonly RuleMove[] = []): Redirect[] {
  const out = new Map<string, Redirect>();
  const pages = new Set([...rules.map((r) => r.url), ...tombstones.map((t) => t.url)]);
  const add = (from: string, to: string, reason: RedirectReason) => {
    if (from !== to && !pages.has(from) && !out.has(from)) out.set(from, { from, to, reason });
  };

  // File names: the best target per name.
  const byFile = new Map<string, Target>();
  const order = (a: Target, b: Target) => a.rank - b.rank || a.document - b.document || compareStrings(a.path, b.path);
  const offer = (segment: string, target: Target) => {
    const current = byFile.get(segment);
    if (!current || order(target, current) < 0) byFile.set(segment, target);
  };
  for (const r of rules) offer(fileSegment(r.path), { url: r.url, path: r.path, document: r.document, rank: r.active ? 0 : 1 });
  for (const t of tombstones) if (t.reason === 'removed') offer(fileSegment(t.path), { url: t.url, path: t.path, document: 0, rank: 2 });
  for (const [segment, target] of byFile) add(ruleFileUrl(segment), target.url, 'file-name');

  // Addresses a live rule had before: its history comes before what other rules say of an id; an
  // old address whose rule is removed since leads to its tombstone unless a live rule replaced the id.
  const live = new Set(rules.map((r) => r.url));
  for (const m of moved) if (live.has(ruleUrl(m.to))) add(ruleUrl(m.from), ruleUrl(m.to), 'moved');

  // Ids of rules no longer anywhere, named by the rule that took over.
  const known = new Set([...rules.map((r) => r.id.toLowerCase()), ...tombstones.map((t) => t.id.toLowerCase())]);
  const takers = [...rules].sort((a, b) => Number(b.active) - Number(a.active) || compareStrings(a.slug, b.slug));
  for (const r of takers) {
    for (const rel of r.related) {
      const old = rel.id.toLowerCase();
      if (!rel.id || known.has(old) || !REPLACING_TYPES.has(rel.type) || rel.type === 'derived') continue;
      const segment = safeSegment(old, 'rule');
      if (segment !== old) continue;
      add(ruleUrl(segment), r.url, 'replaced-id');
    }
  }
  for (const m of moved) if (pages.has(ruleUrl(m.to))) add(ruleUrl(m.from), ruleUrl(m.to), 'moved');
  return [...out.values()].sort((a, b) => compareStrings(a.from, b.from));
}

/** A revoked technique's page leads to the technique that replaced it (STIX `revoked-by`). */
export function techniqueRedirects(techniques: readonly CatalogTechnique[]): Redirect[] {
  const byId = new Map(techniques.map((t) => [t.id, t]));
  return techniques.flatMap((t) => {
    const target = t.revokedBy === undefined ? undefined : byId.get(t.revokedBy);
    return target ? [{ from: t.url, to: target.url, reason: 'revoked-technique' as const }] : [];
  });
}

/**
 * Indicator pages of `…|all` checks from before `all` left the indicator identity: each old
 * address (an indicator used by two or more rules had a page) leads to the merged indicator.
 */
export function allModifierRedirects(rules: readonly CatalogRule[], indicators: readonly CatalogIndicator[]): Redirect[] {
  const byKey = new Map(indicators.map((i) => [i.key, i]));
  const old = new Map<string, { rules: Set<string>; target: CatalogIndicator }>();
  for (const rule of rules) {
    for (const identifier of rule.detection?.identifiers ?? []) {
      for (const predicate of identifier.groups.flat()) {
        const modifiers = predicate.modifiers.map((m) => m.toLowerCase());
        if (!modifiers.includes('all')) continue;
        const field = predicate.kind === 'field' ? predicate.field : null;
        for (const value of predicate.values) {
          const key = indicatorKey(field, modifiers, value);
          const target = byKey.get(key);
          if (!target) continue;
          const [f, , ...rest] = key.split('\u0000');
          const oldId = indicatorId([f, modifiers.join('|'), ...rest].join('\u0000'));
          const entry = old.get(oldId) ?? old.set(oldId, { rules: new Set(), target }).get(oldId)!;
          entry.rules.add(rule.slug);
        }
      }
    }
  }
  return [...old]
    .filter(([id, { rules: using, target }]) => using.size >= 2 && id !== target.id)
    .map(([id, { target }]) => ({ from: indicatorPageUrl(id), to: target.url, reason: 'all-modifier' as const }))
    .sort((a, b) => compareStrings(a.from, b.from));
}
