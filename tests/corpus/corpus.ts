/**
 * Where the real corpus lives (../shared/corpus beside the project). Full-corpus tests skip with
 * a visible message when it is absent, except in CI, where its absence is a failure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
export const hasCorpus = existsSync(CORPUS);

export const corpusPaths = {
  sigma: path.join(CORPUS, 'sigma'),
  atomics: path.join(CORPUS, 'atomic-red-team', 'atomics'),
  attack: path.join(CORPUS, 'attack', 'enterprise-attack.json'),
  payloads: path.join(CORPUS, 'payloads'),
};

if (!hasCorpus) {
  if (process.env.CI === 'true') throw new Error(`CI needs the full corpus at ${CORPUS}`);
  console.warn(`\n  full-corpus tests skipped: no corpus at ${CORPUS}\n`);
}
