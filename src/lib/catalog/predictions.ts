/**
 * Predicted detections into the catalog: each test lists the rules predicted to fire with the
 * explanation, each rule the tests predicted to trigger it. Labelled as predicted everywhere.
 */
import type { Prediction } from '../predict/predict.ts';
import { compareStrings } from '../order.ts';
import type { Catalog } from './types.ts';

/** The catalog with its predictions: new test and rule objects, the catalog given is left as it was. */
export function withPredictions(catalog: Catalog, predictions: Prediction[], notes: ReadonlyMap<string, string[]> = new Map()): Catalog {
  const byTest = new Map<string, Prediction[]>();
  const byRule = new Map<string, string[]>();
  for (const p of predictions) {
    byTest.set(p.test, [...(byTest.get(p.test) ?? []), p]);
    byRule.set(p.rule, [...(byRule.get(p.rule) ?? []), p.test]);
  }
  const tests = catalog.tests.map((test) => {
    const found = byTest.get(test.guid) ?? [];
    const missing = notes.get(test.guid);
    return {
      ...test,
      predicted: found.map((p) => p.rule),
      predictions: found.map(({ rule, event, explanation, payload }) => ({ rule, event, explanation, ...(payload ? { payload } : {}) })),
      ...(missing ? { payloadNotes: missing } : {}),
    };
  });
  const rules = catalog.rules.map((rule) => ({ ...rule, predictedTests: [...new Set(byRule.get(rule.slug) ?? [])].sort(compareStrings) }));
  return { ...catalog, rules, tests };
}
