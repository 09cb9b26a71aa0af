/**
 * How well predictions match what really fired: per test with run records, where prediction and
 * observation agree and differ; over all of them, recall (observed firings that were predicted)
 * and precision (predictions that were observed), by executor and by the rule's log source.
 */
import { compareStrings } from '../order.ts';
import type { Catalog, CatalogRule, CatalogTest } from '../catalog/types.ts';

export interface Agreement {
  /** Rules both predicted and observed. */
  both: string[];
  observedNotPredicted: string[];
  predictedNotObserved: string[];
}

/** Undefined for a test without run records: nothing to compare with. */
export function agreement(test: Pick<CatalogTest, 'observed' | 'predicted'>): Agreement | undefined {
  if (!test.observed) return undefined;
  const observed = new Set(test.observed.map((o) => o.rule));
  const predicted = new Set(test.predicted ?? []);
  const sorted = (xs: string[]) => xs.sort(compareStrings);
  return {
    both: sorted([...observed].filter((r) => predicted.has(r))),
    observedNotPredicted: sorted([...observed].filter((r) => !predicted.has(r))),
    predictedNotObserved: sorted([...predicted].filter((r) => !observed.has(r))),
  };
}

export interface Score {
  key: string;
  /** Tests with records in this group. */
  tests: number;
  both: number;
  observedNotPredicted: number;
  predictedNotObserved: number;
  /** both / (both + observed, not predicted); undefined when nothing was observed. */
  recall?: number;
  /** both / (both + predicted, not observed); undefined when nothing was predicted. */
  precision?: number;
}

export interface Calibration {
  total: Score;
  byExecutor: Score[];
  byLogsource: Score[];
}

function blank(key: string): Score {
  return { key, tests: 0, both: 0, observedNotPredicted: 0, predictedNotObserved: 0 };
}

function finish(s: Score): Score {
  const out = { ...s };
  if (s.both + s.observedNotPredicted > 0) out.recall = s.both / (s.both + s.observedNotPredicted);
  if (s.both + s.predictedNotObserved > 0) out.precision = s.both / (s.both + s.predictedNotObserved);
  return out;
}

/** A rule's log source as one key: product/category/service, what it is. */
function logsourceKey(rule: Pick<CatalogRule, 'logsource'> | undefined): string {
  const ls = rule?.logsource ?? {};
  return [ls.product, ls.category, ls.service].filter(Boolean).join('/') || 'no log source';
}

export function calibrate(catalog: Pick<Catalog, 'tests' | 'rules'>): Calibration {
  const rules = new Map(catalog.rules.map((r) => [r.slug, r]));
  const total = blank('all');
  const byExecutor = new Map<string, Score>();
  const byLogsource = new Map<string, Score>();
  const group = (map: Map<string, Score>, key: string) => {
    let s = map.get(key);
    if (!s) map.set(key, (s = blank(key)));
    return s;
  };
  for (const test of catalog.tests) {
    const a = agreement(test);
    if (!a) continue;
    const exec = group(byExecutor, test.executor);
    total.tests += 1;
    exec.tests += 1;
    const sources = new Set<string>();
    const count = (slugs: string[], field: 'both' | 'observedNotPredicted' | 'predictedNotObserved') => {
      for (const slug of slugs) {
        const key = logsourceKey(rules.get(slug));
        sources.add(key);
        group(byLogsource, key)[field] += 1;
      }
      total[field] += slugs.length;
      exec[field] += slugs.length;
    };
    count(a.both, 'both');
    count(a.observedNotPredicted, 'observedNotPredicted');
    count(a.predictedNotObserved, 'predictedNotObserved');
    for (const key of sources) group(byLogsource, key).tests += 1;
  }
  const list = (map: Map<string, Score>) => [...map.values()].sort((a, b) => compareStrings(a.key, b.key)).map(finish);
  return { total: finish(total), byExecutor: list(byExecutor), byLogsource: list(byLogsource) };
}
