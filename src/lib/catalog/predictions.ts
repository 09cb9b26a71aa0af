/**
 * Predicted detections into the catalog: each test lists the rules predicted to fire with the
 * explanation, each rule the tests predicted to trigger it. Labelled as predicted everywhere.
 */
import type { Prediction } from '../predict/predict.ts';
import { compareStrings } from '../order.ts';
import type { Catalog } from './types.ts';

export function applyPredictions(catalog: Catalog, predictions: Prediction[], notes: ReadonlyMap<string, string[]> = new Map()): void {
  const byTest = new Map<string, Prediction[]>();
  const byRule = new Map<string, string[]>();
  for (const p of predictions) {
    byTest.set(p.test, [...(byTest.get(p.test) ?? []), p]);
    byRule.set(p.rule, [...(byRule.get(p.rule) ?? []), p.test]);
  }
  for (const test of catalog.tests) {
    const found = byTest.get(test.guid) ?? [];
    test.predicted = found.map((p) => p.rule);
    test.predictions = found.map(({ rule, event, explanation, payload }) => ({ rule, event, explanation, ...(payload ? { payload } : {}) }));
    const missing = notes.get(test.guid);
    if (missing) test.payloadNotes = missing;
  }
  for (const rule of catalog.rules) rule.predictedTests = [...new Set(byRule.get(rule.slug) ?? [])].sort(compareStrings);
}
