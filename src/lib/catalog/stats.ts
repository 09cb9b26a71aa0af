import { compareStrings } from '../order.ts';

/** Small counting helpers for catalog statistics; keys come out sorted for stable JSON. */
export function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  return tally(items.map(key));
}

export function tally(values: string[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([a], [b]) => compareStrings(a, b)));
}
