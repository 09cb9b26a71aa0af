/**
 * Predicted evaluation runs every rule's patterns over commands the Atomic tests would produce,
 * inside the build. A pattern that backtracks (exponentially or polynomially) must not stall it.
 * Each case runs the catalog stages in its own process, killed after a bound, so a hang fails
 * the case instead of freezing the test run.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { removeCorpora, writeEvaluationCorpus } from './corpus.ts';
import { runIsolated } from './run.ts';

/** Ordinary rules evaluate in milliseconds; anything near this bound is a hang. */
const CHILD_MS = 20_000;

const CASES: [string, Record<string, unknown>][] = [
  ['exponential regex (a+)+$', { 'CommandLine|re': '(a+)+$' }],
  ['exponential regex (a|aa)*$', { 'CommandLine|re': '(a|aa)*$' }],
  ['exponential regex (\\w+\\s?)*$ (case-insensitive)', { 'CommandLine|re|i': '(\\w+\\s?)*$' }],
  ['polynomial regex .*.*.*.*.*.*.*x', { 'CommandLine|re': '.*.*.*.*.*.*.*x' }],
  ['polynomial regex \\s*\\s*\\s*\\s*\\s*\\s*\\s*x', { 'CommandLine|re': '\\s*\\s*\\s*\\s*\\s*\\s*\\s*x' }],
  ['wildcard value *a*a*a*a*a*a*a*a*b (no re)', { CommandLine: '*a*a*a*a*a*a*a*a*b' }],
  ['wildcard value with ? runs (*a?a?a?…*b)', { CommandLine: `*${'a?'.repeat(12)}*b` }],
  ['invalid regex (unclosed[', { 'CommandLine|re': '(unclosed[' }],
  ['100 KB alternation regex', { 'CommandLine|re': `(${'a|'.repeat(50_000)}b)` }],
];

interface Summary {
  milliseconds: number;
  rules: number;
  predicted: string[];
  diagnostics: string[];
}

afterAll(removeCorpora);

describe('predicted evaluation of hostile patterns', { timeout: CHILD_MS + 15_000 }, () => {
  test.each(CASES)('%s: the build finishes in bounded time and keeps the rule', (_name, selection) => {
    const corpus = writeEvaluationCorpus(selection);
    const child = runIsolated('tests/hostile/evaluate-child.ts', [corpus.sigma, corpus.atomics], CHILD_MS);
    expect(child.signal, `killed after ${CHILD_MS} ms: the evaluation hangs`).toBeNull();
    expect(child.status, child.stderr).toBe(0);
    const summary = JSON.parse(child.stdout) as Summary;
    expect(summary.rules).toBe(1);
  });

  test('an invalid regular expression is a diagnostic naming the problem', () => {
    const corpus = writeEvaluationCorpus({ 'CommandLine|re': '(unclosed[' });
    const child = runIsolated('tests/hostile/evaluate-child.ts', [corpus.sigma, corpus.atomics], CHILD_MS);
    const summary = JSON.parse(child.stdout) as Summary;
    expect(summary.diagnostics).toEqual([expect.stringMatching(/^invalid-regex: .*Unterminated character class/)]);
  });
});
