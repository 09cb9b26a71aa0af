/** Shared steps of the safety tests: tiny corpora, running the CLI in its own process, reading trees back. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../../src/lib/output/staging.ts';

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

/**
 * Runs the CLI; returns once it has exited and the old outputs it left to its detached removers
 * (src/lib/output/trash.ts) are gone, so a test that looks beside --out next sees what a build
 * leaves, not a deletion in progress. Trash of dead processes (a killed build's) is left as it is.
 */
export function atlas(args: string[], options: RunOptions): SpawnSyncReturns<string> {
  const node = options.faults ? ['--import', faultPreload] : [];
  const run = spawnSync(process.execPath, [...node, atlasBin, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    timeout: 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  waitForRemovers(outParents(args, options.cwd));
  return run;
}

/** The folders a run may leave trash in: the parent of its --out (and the cwd). */
function outParents(args: string[], cwd: string): string[] {
  const at = args.indexOf('--out');
  const out = at >= 0 && args[at + 1] !== undefined ? path.resolve(cwd, args[at + 1]!) : undefined;
  return [...new Set([cwd, ...(out ? [path.dirname(out)] : [])])];
}

/** Old outputs being deleted by a live remover (`.atlas-trash-<out>-<pid>-XXXXXX`, the pid alive) in these folders. */
export function liveTrash(dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    (existsSync(dir) ? readdirSync(dir) : []).filter((name) => {
      const pid = /^\.atlas-trash-.*-(\d+)-[A-Za-z0-9]{6}$/.exec(name)?.[1];
      return pid !== undefined && isAlive(Number(pid));
    }),
  );
}

/** Waits (up to a minute: a hang guard, not a speed claim) until no live remover is deleting an old output in these folders. */
export function waitForRemovers(dirs: string[]): void {
  for (let waited = 0; liveTrash(dirs).length > 0; waited += 20) {
    if (waited > 60_000) throw new Error(`old outputs still being removed after a minute: ${liveTrash(dirs).join(', ')}`);
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

/** The CLI as a child process the test can signal. */
export function atlasAsync(args: string[], options: RunOptions) {
  const child = spawn(process.execPath, [atlasBin, ...args], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  trashDirs.set(child, outParents(args, options.cwd));
  return child;
}

/** Where each child from `atlasAsync` may leave trash, for `exited`. */
const trashDirs = new WeakMap<ChildProcess, string[]>();

/** Waits for a child from `atlasAsync` to end; its exit code and output. */
export function exited(child: ReturnType<typeof atlasAsync>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) =>
    child.on('close', (code) => {
      waitForRemovers(trashDirs.get(child) ?? []);
      resolve({ code, stdout, stderr });
    }),
  );
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
