/**
 * Predicted detections on the full corpus: every Atomic test against every active Sigma rule.
 * Builds minimal catalog objects from the YAML itself (see corpus-data.ts).
 */
import { describe, expect, it } from 'vitest';
import { corpusPaths, hasCorpus } from '../corpus/corpus.ts';
import { predictDetections } from '../../src/lib/evaluate/predict.ts';
import { loadCorpusRules, loadCorpusTests } from './corpus-data.ts';

describe.skipIf(!hasCorpus)('predicted detections on the full corpus', () => {
  const rules = hasCorpus ? loadCorpusRules(corpusPaths.sigma) : [];
  const tests = hasCorpus ? loadCorpusTests(corpusPaths.atomics) : [];

  it('evaluates every test against every rule within the time budget and reports coverage', () => {
    const start = performance.now();
    const predictions = predictDetections(rules, tests);
    const seconds = (performance.now() - start) / 1000;
    const predicted = new Set(predictions.map((p) => p.test));
    const byExecutor = new Map<string, { tests: number; predicted: number }>();
    for (const t of tests) {
      const entry = byExecutor.get(t.executor) ?? { tests: 0, predicted: 0 };
      entry.tests++;
      if (predicted.has(t.guid)) entry.predicted++;
      byExecutor.set(t.executor, entry);
    }
    console.log(`\n  ${tests.length} tests × ${rules.length} rules in ${seconds.toFixed(2)} s: ${predictions.length} predictions, ${predicted.size} tests with ≥1`);
    for (const [executor, e] of [...byExecutor].sort()) console.log(`    ${executor}: ${e.predicted}/${e.tests}`);
    expect(tests.length).toBe(1819);
    expect(predicted.size).toBeGreaterThan(1000);
    expect(byExecutor.get('manual')?.predicted).toBe(0);
  });

  it('every explanation shows what matched: true identifiers with values, or a condition of negations only', () => {
    for (const p of predictDetections(rules, tests)) {
      const trueIds = p.explanation.identifiers.filter((i) => i.value === true);
      if (trueIds.length === 0) expect(p.explanation.condition).toMatch(/\bnot\b/);
      else expect(p.explanation.matches.filter((m) => m.matches.length > 0).length).toBeGreaterThan(0);
    }
  });
});
