/** Shared steps of the safety tests: tiny corpora, running the CLI in its own process, reading trees back. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const atlasBin = path.join(projectRoot, 'scripts/atlas.mjs');
export const faultPreload = path.join(projectRoot, 'tests/safety/fault-preload.mjs');

const made: string[] = [];

/** A fresh temporary folder, removed by `removeTemp`. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `atlas-safety-${name}-`));
  made.push(dir);
  return dir;
}

export function removeTemp(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A Sigma rule with this title (ids derived from it, so two corpora never share one). */
export function rule(title: string): string {
  const hex = createHash('sha256').update(title).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return [
    `title: ${title}`,
    `id: ${id}`,
    'status: test',
    'logsource:',
    '    category: process_creation',
    '    product: windows',
    'detection:',
    '    selection:',
    `        CommandLine|contains: '${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}'`,
    '    condition: selection',
    'level: medium',
    'tags:',
    '    - attack.t1059.001',
    '',
  ].join('\n');
}

/** A folder of Sigma rules, one file per title. */
export function writeRules(dir: string, titles: string[]): string {
  mkdirSync(dir, { recursive: true });
  for (const title of titles) writeFileSync(path.join(dir, `${title.toLowerCase().replace(/[^a-z0-9]+/g, '_')}.yml`), rule(title));
  return dir;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Load the fault-injection preload. */
  faults?: boolean;
}

export function atlas(args: string[], options: RunOptions): SpawnSyncReturns<string> {
  const node = options.faults ? ['--import', faultPreload] : [];
  return spawnSync(process.execPath, [...node, atlasBin, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The CLI as a child process the test can signal. */
export function atlasAsync(args: string[], options: RunOptions) {
  return spawn(process.execPath, [atlasBin, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Waits for a child from `atlasAsync` to end; its exit code and output. */
export function exited(child: ReturnType<typeof atlasAsync>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Every file under a folder (links listed, not followed), relative, sorted. */
export function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(path.join(dir, prefix))) return [];
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

/** File → SHA-256 of its bytes. */
export function treeHashes(dir: string): Record<string, string> {
  const bytes = (f: string) => (lstatSync(f).isSymbolicLink() ? `link to ${readlinkSync(f)}` : readFileSync(f));
  return Object.fromEntries(
    filesUnder(dir).map((f) => [
      f,
      createHash('sha256')
        .update(bytes(path.join(dir, f)))
        .digest('hex'),
    ]),
  );
}
