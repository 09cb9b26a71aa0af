/** Shared steps of the hostile tests: write the corpus, run the catalog stages, read trees back. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { runCatalog } from '../../src/lib/pipeline.ts';
import { writeHostileCorpus, type HostileCorpus } from './corpus.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Per-test bound: the whole hostile catalog takes well under a second. */
export const BOUND_MS = 30_000;

export interface HostileRun {
  corpus: HostileCorpus;
  catalog: Catalog;
  milliseconds: number;
}

export async function hostileCatalog(corpus: HostileCorpus = writeHostileCorpus()): Promise<HostileRun> {
  const start = performance.now();
  const catalog = await runCatalog({
    sigma: [corpus.sigma],
    atomics: corpus.atomics,
    attack: corpus.attack,
    title: 'Hostile <script>alert("pwn-title")</script>',
  });
  return { corpus, catalog, milliseconds: performance.now() - start };
}

/**
 * Every file under a folder (symbolic links listed, not followed), relative, sorted. Written
 * out because `readdirSync(dir, { recursive: true })` in Node 22 follows links to folders,
 * and the corpus has link loops.
 */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/** File → SHA-256 of its bytes, for byte-for-byte comparison of two output trees. */
export function treeHashes(dir: string): Record<string, string> {
  return Object.fromEntries(
    filesUnder(dir).map((f) => [
      f,
      createHash('sha256')
        .update(readFileSync(path.join(dir, f)))
        .digest('hex'),
    ]),
  );
}

/**
 * Runs a TypeScript file in a fresh Node process, killed after `timeout` ms: code that hangs in a
 * synchronous loop cannot be stopped by a test timeout inside the test's own process.
 */
export function runIsolated(script: string, args: string[], timeout = BOUND_MS): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: projectRoot,
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
}
