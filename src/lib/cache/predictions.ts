/**
 * Incremental predictions. Whether a rule fires on a test depends only on what the evaluator reads
 * of the two (evaluate's `RuleInput` and `TestInput`), on the payloads the test may load, and on
 * the evaluator's code; so each is keyed by a content hash of exactly that, and the code by the
 * cache fingerprint (any change under src/lib starts the section afresh, see fingerprint.ts).
 *
 * The section holds, per rule hash, the tests it fired on (with the prediction), and per test hash
 * its notes. Invariant: every rule entry was evaluated against every test entry. A build evaluates
 * the rules it has no entry for against all tests, and the rules it has against the new tests
 * only; everything else is read back. One changed rule is then one rule against 1,819 tests, not
 * 4,041 rules. The result is the same list `predictAll` gives over everything (same order).
 */
import { createHash } from 'node:crypto';
import type { RuleInput } from '../match/matcher.ts';
import { predictAll, type Prediction, type PredictResult } from '../predict/predict.ts';
import type { TestInput } from '../simulate/harness.ts';
import type { PayloadStore } from '../simulate/payload-store.ts';
import { compareStrings } from '../order.ts';
import type { CacheSection } from './store.ts';

/** A prediction without the two names a build gives it (a rule's slug can change when another rule is added). */
type Hit = Omit<Prediction, 'test' | 'rule'>;

export type PredictionEntry = { rule: Array<[testHash: string, hit: Hit]> } | { test: string[] };

export interface CachedPredictions extends PredictResult {
  /** Rules and tests evaluated in this build (the rest came from the cache). */
  evaluated: { rules: number; tests: number };
}

/** The fields of a rule the evaluator reads (RuleInput without the slug), hashed. */
export function ruleInputHash(rule: RuleInput): string {
  const { id, kind, active, logsource, detection } = rule;
  return hash(canonical({ id, kind, active, logsource, detection }));
}

/** The fields of a test the evaluator reads, with the payloads it may load. */
export function testInputHash(test: TestInput, payloads: string): string {
  const { guid, platforms, executor, elevationRequired, command, commandResolved, dependencies, inputArguments } = test;
  return hash(canonical({ guid, platforms, executor, elevationRequired, command, commandResolved, dependencies, inputArguments }), payloads);
}

/**
 * What a test can load at run time: every file the payload store serves (simulate/payload-store.ts:
 * the regular files below the payloads folder and the atomics folder's `src/` and `bin/` files,
 * through no link), by name and content, as the store read them (≈13 MB on the full corpus, hashed
 * in a fraction of a second). A change to any of them re-evaluates every test. Each part goes in
 * with its length, so no two sets of files hash alike; a binary goes in by its SHA-256 (the store
 * serves it only while it has that), and a file the store cannot serve (unreadable, too large) as such.
 */
export function payloadsHash(store: PayloadStore): string {
  const h = createHash('sha256');
  const part = (bytes: Uint8Array | string) => h.update(`${Buffer.byteLength(bytes)}:`).update(bytes);
  for (const name of [...store.files.keys()].sort(compareStrings)) {
    part(name);
    const file = store.files.get(name);
    if (!file) h.update('unreadable');
    else if ('bytes' in file) part(file.bytes);
    else h.update(`binary ${file.sha256}`);
  }
  return h.digest('hex');
}

export function predictCached(
  rules: RuleInput[],
  tests: TestInput[],
  options: { payloads: PayloadStore },
  section: CacheSection<PredictionEntry>,
): CachedPredictions {
  const ruleHashes = rules.map(ruleInputHash);
  const payloads = payloadsHash(options.payloads);
  const testHashes = tests.map((t) => testInputHash(t, payloads));
  const testInputHashOf = new Map(tests.map((t, i) => [t, testHashes[i]!]));
  const testKey = (h: string) => `test\u0000${h}`;
  const ruleKey = (h: string) => `rule\u0000${h}`;

  // Tests: cached notes, or new (one representative per hash).
  const notesOf = new Map<string, string[]>();
  const newTests = new Map<string, TestInput>();
  testHashes.forEach((h, i) => {
    if (notesOf.has(h) || newTests.has(h)) return;
    const entry = section.get(testKey(h));
    if (entry && 'test' in entry) notesOf.set(h, entry.test);
    else newTests.set(h, tests[i]!);
  });
  // Rules: cached hits over the cached tests, or new.
  const hitsOf = new Map<string, Map<string, Hit>>();
  const newRules = new Map<string, RuleInput>();
  const oldRules = new Map<string, RuleInput>();
  ruleHashes.forEach((h, i) => {
    if (hitsOf.has(h) || newRules.has(h)) return;
    const entry = section.get(ruleKey(h));
    if (entry && 'rule' in entry) {
      hitsOf.set(h, new Map(entry.rule.filter(([t]) => notesOf.has(t))));
      oldRules.set(h, rules[i]!);
    } else newRules.set(h, rules[i]!);
  });

  const evaluate = (byHash: Map<string, RuleInput>, against: Map<string, TestInput>, fresh: boolean) => {
    if (fresh) for (const h of byHash.keys()) hitsOf.set(h, new Map());
    // With no rule to run, tests not seen before still need their notes (a build of zero rules has only those).
    if (byHash.size === 0 && [...against.keys()].every((h) => notesOf.has(h))) return;
    const ruleBySlug = new Map([...byHash].map(([h, r]) => [r.slug, h]));
    // Predictions name their test by guid: tests sharing a guid (a duplicate, reported by the loader) go in separate runs.
    for (let left = [...against]; left.length > 0;) {
      const round = new Map<string, string>();
      const rest: typeof left = [];
      for (const [h, t] of left) round.has(t.guid) ? rest.push([h, t]) : round.set(t.guid, h);
      const result = predictAll(
        [...byHash.values()],
        [...round.values()].map((h) => against.get(h)!),
        { payloads: options.payloads },
      );
      for (const [guid, h] of round) notesOf.set(h, result.notes.get(guid) ?? []);
      for (const { test, rule, ...hit } of result.predictions) hitsOf.get(ruleBySlug.get(rule)!)!.set(round.get(test)!, hit);
      left = rest;
    }
  };
  // Old rules meet the new tests first; then the new rules meet every test.
  evaluate(oldRules, newTests, false);
  const allTests = new Map<string, TestInput>();
  testHashes.forEach((h, i) => allTests.has(h) || allTests.set(h, tests[i]!));
  evaluate(newRules, allTests, true);

  for (const h of newTests.keys()) section.set(testKey(h), { test: notesOf.get(h)! });
  if (newTests.size > 0 || newRules.size > 0) {
    for (const h of new Set([...(newTests.size > 0 ? oldRules.keys() : []), ...newRules.keys()])) {
      section.set(ruleKey(h), { rule: [...hitsOf.get(h)!].sort(([a], [b]) => compareStrings(a, b)) });
    }
  }

  const testsOf = new Map<string, TestInput[]>();
  testHashes.forEach((h, i) => testsOf.set(h, [...(testsOf.get(h) ?? []), tests[i]!]));
  const notes = new Map<string, string[]>();
  for (const test of tests) {
    const n = notesOf.get(testInputHashOf.get(test)!)!;
    if (n.length > 0) notes.set(test.guid, n);
  }
  const predictions: Prediction[] = [];
  rules.forEach((rule, r) => {
    for (const [th, hit] of hitsOf.get(ruleHashes[r]!)!)
      for (const test of testsOf.get(th) ?? []) predictions.push({ test: test.guid, rule: rule.slug, ...hit });
  });
  predictions.sort((a, b) => compareStrings(a.test, b.test) || compareStrings(a.rule, b.rule));
  return { predictions, notes, evaluated: { rules: newRules.size, tests: newTests.size } };
}

/**
 * Text that is equal exactly when the values are. Not v8.serialize: it writes the same string or
 * number differently depending on V8's internal representation (a rule parsed now and one read back
 * from the cache would hash apart). JSON, with what JSON would lose tagged.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === undefined) return { $undefined: 1 };
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
    if (typeof v === 'bigint') return { $bigint: String(v) };
    if (v instanceof Map) return { $map: [...v] };
    if (v instanceof Set) return { $set: [...v] };
    if (v instanceof RegExp) return { $regexp: String(v) };
    return v;
  });
}

function hash(...parts: (Buffer | string)[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex');
}
