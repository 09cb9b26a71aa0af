/**
 * The build's private area: a folder next to the output (same file system, so publishing is a
 * rename), named after the output and this process. It holds `site/` — the whole output as it
 * will be published — and `work/` — the catalog the pages read and other intermediate files,
 * which are never published and never shared with another build.
 */
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { readdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { makeFolders } from '../folders.ts';
import { readMarker } from './marker.ts';

export interface Staging {
  /** The output folder this staging area publishes to. */
  out: string;
  dir: string;
  /** The output as it will be published. */
  site: string;
  /** Intermediate files (the catalog the pages read). */
  work: string;
}

const STAGING = 'staging';
const OLD = 'old';
/**
 * An old output after the swap: garbage, removed after the publish lock is released (publish.ts),
 * by a detached remover whose pid the name then carries (trash.ts).
 */
const TRASH = 'trash';
type LeftoverKind = typeof STAGING | typeof OLD | typeof TRASH;

/** `.atlas-staging-<out name>-<pid>-`, `.atlas-old-…` or `.atlas-trash-…`: the prefix of this process's folders beside `out`. */
export function prefixFor(kind: LeftoverKind, out: string, pid = process.pid): string {
  return `.atlas-${kind}-${path.basename(out)}-${pid}-`;
}

/** Which of our leftover kinds a sibling of `out` is, and the process that made it; undefined for anything else. */
export function parseLeftover(name: string, out: string): { kind: LeftoverKind; pid: number } | undefined {
  for (const kind of [STAGING, OLD, TRASH] as const) {
    const prefix = `.atlas-${kind}-${path.basename(out)}-`;
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-[A-Za-z0-9]{6}$/.exec(name.slice(prefix.length));
    if (m) return { kind, pid: Number(m[1]) };
  }
  return undefined;
}

export function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/**
 * Whether a process has exited but not been reaped (state Z in /proc/<pid>/stat; false without
 * /proc). A detached remover (trash.ts) outlives the build that started it, and where nothing
 * reaps orphans (a container whose first process does not), it would look alive for ever.
 */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] === 'Z';
  } catch {
    return false;
  }
}

/**
 * Synchronous, so the caller installs its signal handlers (signals.ts) before the event loop
 * turns again: no signal can leave a staging folder behind that nobody removes.
 */
export function createStaging(out: string): Staging {
  const parent = path.dirname(out);
  makeFolders(parent);
  const dir = mkdtempSync(path.join(parent, prefixFor(STAGING, out)));
  const staging = { out, dir, site: path.join(dir, 'site'), work: path.join(dir, 'work') };
  mkdirSync(staging.site);
  mkdirSync(staging.work);
  return staging;
}

export async function removeStaging(staging: Staging): Promise<void> {
  await rm(staging.dir, { recursive: true, force: true });
}

/**
 * Cleans up after builds that were killed: their staging folders are removed, a previous output
 * moved aside by a publish that never finished is put back when the output is missing (else
 * removed), and an old output a finished swap was still removing (`.atlas-trash-…`, complete or
 * half gone) is removed. Only folders with our names, made by processes that are gone, are
 * touched: a trash folder a live remover is deleting carries the remover's pid (trash.ts), so
 * this build neither waits for it nor deletes it a second time. Returns one line per thing done.
 */
export async function recoverLeftovers(out: string): Promise<string[]> {
  const parent = path.dirname(out);
  const names = await readdir(parent).catch(() => [] as string[]);
  const done: string[] = [];
  for (const name of names.sort()) {
    const leftover = parseLeftover(name, out);
    if (!leftover || isAlive(leftover.pid)) continue;
    const full = path.join(parent, name);
    if (leftover.kind === OLD) {
      if ((await readdir(full).catch(() => ['?'])).length === 0) {
        await rmdir(full).catch(() => {}); // an empty output moved aside
        continue;
      }
      if (!(await readMarker(full))) continue; // not an output of ours after all
      const outThere = await readdir(out).then(
        () => true,
        () => false,
      );
      if (!outThere) {
        await rename(full, out);
        done.push(`recovered ${out} from an interrupted publish (${name})`);
        continue;
      }
    } else if (leftover.kind === STAGING) {
      const entries = await readdir(full).catch(() => undefined);
      // Ours holds only site/ and work/ (or nothing, when killed right after it was made).
      if (!entries || entries.some((e) => e !== 'site' && e !== 'work')) continue;
      if (entries.length === 0) {
        await rmdir(full).catch(() => {});
        continue;
      }
    }
    await rm(full, { recursive: true, force: true });
    done.push(`removed ${name} left by an interrupted build`);
  }
  return done;
}
