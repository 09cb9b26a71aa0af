/**
 * Builds the fixture site once per source state and shares it between test files (which vitest
 * runs in parallel processes): the output directory is keyed by a hash of the fixture and the
 * site sources, and a lock directory makes the other processes wait for the first build.
 */
import { createHash } from 'node:crypto';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { writeApi } from '../../src/lib/catalog/write.ts';
import { writeExports } from '../../src/lib/exports/write.ts';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSite, type BuildSiteResult } from '../../scripts/site.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureCatalog = path.join(projectRoot, 'tests/fixtures/site/catalog.json');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? files(full) : [full];
  });
}

function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [
    fixtureCatalog,
    path.join(projectRoot, 'astro.config.mjs'),
    path.join(projectRoot, 'scripts/site.ts'),
    fileURLToPath(import.meta.url),
    ...files(path.join(projectRoot, 'src')),
    ...files(path.join(projectRoot, 'public')),
  ].sort();
  for (const file of inputs) hash.update(file).update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface FixtureSite {
  dir: string;
  result?: BuildSiteResult;
}

export async function fixtureSite(): Promise<FixtureSite> {
  // One folder per checkout, so two clones (or worktrees) on one machine never delete each other's.
  const root = path.join(os.tmpdir(), `atlas-fixture-site-${createHash('sha256').update(projectRoot).digest('hex').slice(0, 8)}`);
  mkdirSync(root, { recursive: true });
  const dir = path.join(root, sourceHash());
  const lock = `${dir}.lock`;
  for (let waited = 0; ; waited += 200) {
    if (existsSync(path.join(dir, 'index.html'))) return { dir };
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another process builds it; a lock older than 5 minutes is stale.
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && (waited > 300_000 || Date.now() - held.mtimeMs > 300_000)) {
        rmSync(lock, { recursive: true, force: true });
      }
      await sleep(200);
    }
  }
  try {
    for (const old of readdirSync(root)) if (!old.startsWith(path.basename(dir))) rmSync(path.join(root, old), { recursive: true, force: true });
    const tmp = `${dir}.tmp`;
    rmSync(tmp, { recursive: true, force: true });
    // Like the CLI: the catalog (and api/) already sit in the output directory and must survive.
    mkdirSync(path.join(tmp, 'api'), { recursive: true });
    const catalogFile = path.join(tmp, 'api', 'catalog.json');
    copyFileSync(fixtureCatalog, catalogFile);
    const result = await buildSite({ catalogFile, outDir: tmp });
    // The JSON API and the exports, as the CLI writes them, so links to them resolve.
    const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
    await writeApi(catalog, tmp);
    await writeExports(catalog, tmp);
    renameSync(tmp, dir);
    return { dir, result };
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
