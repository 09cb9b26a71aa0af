/**
 * vitest globalSetup of the projects whose tests read the fixture site: builds it once per run
 * into a fresh temporary folder private to this run, hands the folder to the tests
 * (`inject('fixtureSite')`, see tests/site/fixture-site.ts) and removes it when the run ends.
 * Several projects of one run share one build.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built fixture site (pages, pagefind/, api/). */
    fixtureSite: string;
  }
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(projectRoot, 'tests/setup/build-fixture-site.ts');

interface Shared {
  build: Promise<{ root: string; dir: string }>;
  users: number;
}
const shared = globalThis as { __atlasFixtureSite?: Shared };

async function build(): Promise<{ root: string; dir: string }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'atlas-fixture-site-'));
  const dir = path.join(root, 'site');
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) {
    await rm(root, { recursive: true, force: true });
    throw new Error(`building the fixture site failed (exit ${code}):\n${output}`);
  }
  return { root, dir };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const state = (shared.__atlasFixtureSite ??= { build: build(), users: 0 });
  state.users += 1;
  const { root, dir } = await state.build;
  project.provide('fixtureSite', dir);
  return async () => {
    state.users -= 1;
    if (state.users > 0) return;
    delete shared.__atlasFixtureSite;
    await rm(root, { recursive: true, force: true });
  };
}
