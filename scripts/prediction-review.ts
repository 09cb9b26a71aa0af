/**
 * Hand-review helper for predicted detections on the full corpus (../shared/corpus).
 *   tsx scripts/prediction-review.ts dump FILE [--payloads DIR]   every prediction as JSON lines
 *   tsx scripts/prediction-review.ts new BEFORE AFTER [--seed N] [--count N]
 * `new` lists a seeded random sample of the predictions in AFTER that BEFORE lacks (same test and
 * rule), with the event and the matched values, for a reader to judge right or wrong.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { loadCorpusInputs } from './corpus-inputs.ts';
import { predictDetections } from '../src/lib/predict/predict.ts';
import { prng } from './prng.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.resolve(root, '..', 'shared', 'corpus');

interface Line {
  test: string;
  technique: string;
  number: number;
  executor: string;
  rule: string;
  title: string;
  origin: string;
  payload?: { file: string; line: number };
  matched: string[];
  fields: Record<string, unknown>;
}

async function dump(file: string, payloads: string | undefined): Promise<void> {
  const { rules, tests } = await loadCorpusInputs(path.join(corpus, 'sigma'), path.join(corpus, 'atomic-red-team', 'atomics'));
  const byGuid = new Map(tests.map((t) => [t.guid, t]));
  const titles = new Map(rules.map((r) => [r.slug, r.title]));
  const options = payloads
    ? await import('../src/lib/simulate/payload-store.ts').then((m) => ({
        payloads: m.PayloadStore.open(payloads, path.join(corpus, 'atomic-red-team', 'atomics')),
      }))
    : {};
  const lines = predictDetections(rules, tests, options).map((p): Line => {
    const t = byGuid.get(p.test)!;
    const matched = p.explanation.matches.flatMap((m) => m.matches.map((v) => `${m.field ?? 'keyword'}|${m.modifiers.join('|')}: ${String(v.value)}`));
    return {
      test: p.test,
      technique: t.technique,
      number: t.number,
      executor: t.executor,
      rule: p.rule,
      title: titles.get(p.rule) ?? '',
      origin: p.event.origin,
      payload: (p as { payload?: Line['payload'] }).payload,
      matched,
      fields: p.event.fields,
    };
  });
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  console.log(`${lines.length} predictions written to ${file}`);
}

function read(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

function listNew(before: string, after: string, seed: number, count: number): void {
  const old = new Set(read(before).map((l) => `${l.test} ${l.rule}`));
  const fresh = read(after).filter((l) => !old.has(`${l.test} ${l.rule}`));
  const next = prng(seed);
  const pool = [...fresh];
  const sample: Line[] = [];
  while (sample.length < count && pool.length > 0) sample.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
  console.log(`${fresh.length} new predictions; ${sample.length} sampled with seed ${seed}\n`);
  sample.forEach((l, i) => {
    const shown = Object.fromEntries(
      Object.entries(l.fields).filter(([k]) => ['Image', 'CommandLine', 'ParentImage', 'TargetObject', 'Path', 'MessageNumber', 'MessageTotal'].includes(k)),
    );
    console.log(`${i + 1}. ${l.technique} #${l.number} (${l.executor}) → ${l.title} [${l.rule}]`);
    console.log(`   origin: ${l.origin}${l.payload ? ` — ${l.payload.file}:${l.payload.line}` : ''}`);
    console.log(`   matched: ${l.matched.join('; ').slice(0, 400)}`);
    console.log(`   event: ${JSON.stringify(shown).slice(0, 400)}\n`);
  });
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { payloads: { type: 'string' }, seed: { type: 'string' }, count: { type: 'string' } },
});
if (positionals[0] === 'dump' && positionals[1]) await dump(positionals[1], values.payloads);
else if (positionals[0] === 'new' && positionals[1] && positionals[2])
  listNew(positionals[1], positionals[2], Number(values.seed ?? 12), Number(values.count ?? 30));
else console.error('usage: prediction-review.ts dump FILE [--payloads DIR] | new BEFORE AFTER [--seed N] [--count N]');
