/**
 * The trust data (trust/analyze.ts, read from the site's data file) indexed for the pages: links
 * per rule, test and technique, reference health per rule, tombstones by slug. Built once with the
 * site model.
 */
import type { RuleReferenceHealth, Trust } from '../trust/analyze.ts';
import type { Tombstone } from '../trust/tombstones.ts';
import type { TechniqueLink, TestLink } from '../trust/confidence.ts';

export interface TrustIndex extends Trust {
  testLinksOfRule: (slug: string) => TestLink[];
  testLinksOfTest: (guid: string) => TestLink[];
  techniqueLinksOfRule: (slug: string) => TechniqueLink[];
  techniqueLinksOfTechnique: (id: string) => TechniqueLink[];
  referencesOfRule: (slug: string) => RuleReferenceHealth[];
  tombstone: (slug: string) => Tombstone | undefined;
  /** Tombstones of removed rules, in this build or an earlier one (pages of their own). */
  removed: Tombstone[];
  /** The same, by lowercase rule id (a live rule's `related` names them by id). */
  removedById: Map<string, Tombstone>;
}

function group<T>(items: T[], key: (item: T) => string): (k: string) => T[] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return (k) => map.get(k) ?? [];
}

export function indexTrust(trust: Trust): TrustIndex {
  const tombstones = new Map(trust.tombstones.map((t) => [t.slug, t]));
  const removed = trust.tombstones.filter((t) => t.reason === 'removed');
  return {
    ...trust,
    testLinksOfRule: group(trust.testLinks, (l) => l.rule),
    testLinksOfTest: group(trust.testLinks, (l) => l.test),
    techniqueLinksOfRule: group(trust.techniqueLinks, (l) => l.rule),
    techniqueLinksOfTechnique: group(trust.techniqueLinks, (l) => l.technique),
    referencesOfRule: group(trust.references, (r) => r.rule),
    tombstone: (slug) => tombstones.get(slug),
    removed,
    removedById: firstById(removed),
  };
}

/** Tombstones by lowercase id; of two sharing an id the first (by slug), as the catalog links related ids to the first rule. */
function firstById(tombstones: Tombstone[]): Map<string, Tombstone> {
  const map = new Map<string, Tombstone>();
  for (const t of tombstones) if (!map.has(t.id.toLowerCase())) map.set(t.id.toLowerCase(), t);
  return map;
}
