/** Grouping helpers: facet values with unique URL slugs, counts and stable order. */
import { slugify } from './urls.ts';

export interface Group<T> {
  /** The value as written (may be empty for "none"). */
  value: string;
  slug: string;
  items: T[];
}

/** Assigns each distinct value a unique slug (`foo`, `foo-2` …) in sorted value order. */
export function uniqueSlugs(values: Iterable<string>, empty = 'none'): Map<string, string> {
  const sorted = [...new Set(values)].sort((a, b) => a.localeCompare(b, 'en'));
  const taken = new Set<string>();
  const slugs = new Map<string, string>();
  for (const value of sorted) {
    const baseSlug = value === '' ? empty : slugify(value);
    let slug = baseSlug;
    for (let n = 2; taken.has(slug); n += 1) slug = `${baseSlug}-${n}`;
    taken.add(slug);
    slugs.set(value, slug);
  }
  return slugs;
}

/** Groups items by one or more values each (e.g. a rule's tactics), sorted by value. */
export function groupBy<T>(items: readonly T[], keys: (item: T) => string | string[] | undefined, empty?: string): Group<T>[] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = keys(item);
    const list = k === undefined ? (empty === undefined ? [] : [empty]) : Array.isArray(k) ? k : [k];
    for (const key of new Set(list)) {
      let bucket = map.get(key);
      if (!bucket) map.set(key, (bucket = []));
      bucket.push(item);
    }
  }
  const slugs = uniqueSlugs(map.keys());
  return [...map.entries()]
    .map(([value, groupItems]) => ({ value, slug: slugs.get(value)!, items: groupItems }))
    .sort((a, b) => a.value.localeCompare(b.value, 'en'));
}

/** Counts of a record sorted by count (desc) then key. */
export function sortedCounts(record: Record<string, number> | undefined): Array<[string, number]> {
  return Object.entries(record ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'en'));
}
