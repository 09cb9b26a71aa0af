/**
 * Astro's incremental-build cache (`<atlas cache>/astro`): `incremental-build.json` (the manifest:
 * per page its cacheKey, per route the hash of its code) and `dist/`, a copy of every keyed page,
 * which Astro copies into the output without looking at it. Astro drops a manifest it cannot parse
 * (then every page renders) and renders a page whose copy is missing, but it would publish a copy
 * that is damaged — or one a killed build overwrote after the manifest was written. So:
 * - after a build, `seal` records a CRC-32, size and mtime of every file of the folder in `atlas-check.json`;
 * - before the next, `openPageCache` checks the folder against it cheaply: a missing or extra
 *   file, one of another size, or no record, and the folder is removed whole with one warning
 *   line (every page is rendered and the cache is written afresh). The CRC is read up front only
 *   of the files outside `dist/` (the manifest) and of page copies whose mtime moved; the other
 *   page copies — nearly all of them, ~200 MB on the full corpus — are checked where they are
 *   read anyway: after the build, `verifyCopy` checks the bytes of each page Astro copied into the
 *   output (scripts/site.ts refreshFooters), and a mismatch there drops the folder (`drop`) and
 *   the pages are rendered again without it. The record is removed before Astro runs, so a
 *   build that dies midway leaves a folder the next build will not trust;
 * - one build at a time uses the folder (`astro.lock` beside it, naming its holder: pid, host,
 *   process start time, nonce): a second concurrent build renders every page and leaves the cache
 *   alone. A stale lock is removed by one build at a time (each marks its attempt with a `.break`
 *   file of its own), and what a killed build left beside the lock is removed by the next.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { filesUnder, makeFolders } from '../folders.ts';
import { isAlive } from '../output/staging.ts';

const RECORD = 'atlas-check.json';
const MANIFEST = 'incremental-build.json';
/** Astro's page copies (incremental.js INCREMENTAL_OUTPUT_DIR). */
const COPIES = 'dist';
const RECORD_VERSION = 1;

interface FileSum {
  crc: number;
  size: number;
  mtimeMs: number;
}

interface Record {
  version: number;
  files: { [file: string]: FileSum };
}

/** The parts of Astro's manifest that decide whether a page is copied (node_modules/astro/dist/core/build/incremental.js). */
interface AstroManifest {
  configHash?: string;
  lockfileHash?: string;
  routes?: { [component: string]: { dependencyHash?: string; paths?: { [pathname: string]: { cacheKey?: string; outputFile?: string } } } };
}

export interface PageCache {
  /** The folder to give Astro as its cacheDir. */
  dir: string;
  /** Whether a previous build's cache was found intact (false: every page renders). */
  reusable: boolean;
  /** Files checked against the record (by size; by CRC too, `crcChecked` of them). */
  checked: number;
  /** Files whose CRC was read before the build (outside `dist/`, or with a changed mtime). */
  crcChecked: number;
  /**
   * Records the folder after a successful build, deleting (in the same walk) page copies its manifest no longer
   * points to; returns how many copies it deleted, how many keyed pages Astro copied instead of rendering, and their files. */
  seal(): Promise<{ keyed: number; reused: number; files: string[]; pruned: number }>;
  /**
   * Why the copy of a page Astro took from the folder (`file`: an Astro outputFile, as `seal`
   * lists them) does not match the record the build started from; undefined when it does.
   */
  verifyCopy(file: string, bytes: Uint8Array): string | undefined;
  /** Removes the folder whole, with one warning line, and carries on as with an empty one (every page renders). */
  drop(problem: string): Promise<void>;
  /** Lets other builds use the folder. */
  release(): Promise<void>;
}

/**
 * CRC-32, size and mtime of a file, read through one reused buffer: the full corpus's ~200 MB of
 * page copies are read on every build, and need not become as much garbage.
 */
let scratch = Buffer.alloc(1 << 20);
async function crcOfFile(file: string): Promise<{ crc: number; size: number; mtimeMs: number }> {
  const handle = await open(file, 'r');
  try {
    const s = await handle.stat();
    if (s.size > scratch.length) scratch = Buffer.alloc(s.size);
    let size = 0;
    for (;;) {
      if (size === scratch.length) {
        const bigger = Buffer.alloc(scratch.length * 2);
        scratch.copy(bigger);
        scratch = bigger;
      }
      const { bytesRead } = await handle.read(scratch, size, scratch.length - size, size);
      if (bytesRead === 0) break;
      size += bytesRead;
    }
    return { crc: crc32(scratch.subarray(0, size)), size, mtimeMs: s.mtimeMs };
  } finally {
    await handle.close();
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Who holds the lock: pid, host, the process's start time (clock ticks since boot, /proc on
 * Linux) and a nonce per open. A pid alone is not an identity: CI containers restart with low
 * pids, so a lock's pid can be alive again as an unrelated process (or as this one).
 */
interface Holder {
  pid: number;
  host: string;
  start?: number;
  nonce: string;
}

/**
 * A lock older than this is stale whoever holds it (a build runs for minutes): the bound for what
 * cannot be checked — a holder on another host, a live pid without /proc, a reused pid.
 */
const LOCK_MAX_AGE_MS = 6 * 3600_000;
/** An unreadable lock is a build of an older version between creating and writing it (or a crash there). */
const LOCK_UNREADABLE_AGE_MS = 10 * 60_000;
/** Nonces of the locks this process holds now (two opens in one process must not take each other's). */
const heldHere = new Set<string>();

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat); undefined without /proc. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const start = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isInteger(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): Holder | undefined {
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()), host: hostname(), nonce: '' }; // the older bare-pid lock
  try {
    const h = JSON.parse(text) as Holder;
    return Number.isInteger(h?.pid) && typeof h.host === 'string' && typeof h.nonce === 'string' ? h : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a lock with this content and age can be taken over. */
function isStale(text: string, ageMs: number): boolean {
  const holder = parseHolder(text);
  if (!holder) return ageMs > LOCK_UNREADABLE_AGE_MS;
  if (ageMs > LOCK_MAX_AGE_MS) return true;
  if (holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(holder.nonce);
  if (holder.pid <= 0 || !isAlive(holder.pid)) return true;
  const start = startTicks(holder.pid);
  return holder.start !== undefined && start !== undefined && start !== holder.start;
}

function readLock(file: string): { text: string; ageMs: number } | undefined {
  try {
    const ageMs = Date.now() - statSync(file).mtimeMs;
    return { text: readFileSync(file, 'utf8'), ageMs };
  } catch {
    return undefined; // gone meanwhile
  }
}

/**
 * A build holds its `<lock>.<pid>-<nonce>.break` only for the instant it takes to check a stale
 * lock again and remove it (synchronous calls). One whose holder is stale by the lock's own test
 * was left by a build killed in that instant; one whose holder cannot be checked (another host, no
 * /proc) counts as live for this long.
 */
const BREAK_MAX_AGE_MS = 60_000;

/** Whether a `.break` file (holding its build's holder) is one a build may still be acting under. */
function liveBreak(file: string): boolean {
  const found = readLock(file);
  if (found === undefined || isStale(found.text, found.ageMs)) return false;
  // A holder this host can check (its pid alive with the start time it wrote) is acting under it now, however long it stalls.
  const holder = parseHolder(found.text);
  const checked = holder !== undefined && holder.host === hostname() && holder.start !== undefined && startTicks(holder.pid) === holder.start;
  return checked || found.ageMs <= BREAK_MAX_AGE_MS;
}

/**
 * Whether the file `<lock>.<rest>` is a `.break` a build may still be acting under; undefined when
 * it is no `.break`. The previous version's shared `<lock>.break` counts while it is fresh.
 */
function breakLive(rest: string, full: string): boolean | undefined {
  if (/^\d+-\w+\.break$/.test(rest)) return liveBreak(full);
  if (rest === 'break') return (readLock(full)?.ageMs ?? Infinity) <= BREAK_MAX_AGE_MS;
  return undefined;
}

/** The files beside the lock `file` (`<lock>.<rest>`), by the rest of their name and their path. */
function besideLock(file: string): { rest: string; full: string }[] {
  const prefix = `${path.basename(file)}.`;
  try {
    return readdirSync(path.dirname(file))
      .filter((name) => name.startsWith(prefix))
      .map((name) => ({ rest: name.slice(prefix.length), full: path.join(path.dirname(file), name) }));
  } catch {
    return [];
  }
}

/**
 * Removes the files a killed build left beside the lock: `<lock>.<pid>-<nonce>.tmp` (a holder's
 * content, written before it is linked into place) whose holder is stale by the lock's own test,
 * a `.break` no longer live (breakLive), and `<lock>.<pid>-<nonce>.stale` (a lock moved aside by
 * an older version) without the `.tmp` of the build that moved it. Each numbered name is one
 * build's own, never made again, so removing it by name cannot remove another build's file.
 */
function removeLeftovers(file: string): void {
  const beside = besideLock(file);
  const temps = new Set(beside.map((b) => b.rest).filter((rest) => rest.endsWith('.tmp')));
  for (const { rest, full } of beside) {
    let gone = breakLive(rest, full) === false;
    if (/^\d+-\w+\.tmp$/.test(rest)) {
      const found = readLock(full);
      gone = found !== undefined && isStale(found.text, found.ageMs);
    } else if (/^\d+-\w+\.stale$/.test(rest)) gone = !temps.has(rest.replace(/\.stale$/, '.tmp'));
    if (gone) rmSync(full, { force: true });
  }
}

/**
 * Removes the lock `file` if it still holds `stale` (judged stale by this build), when no other
 * build is doing the same: this build first links its own `<file>.<pid>-<nonce>.break` (from
 * `temp`, its holder), then looks for another live one. Of two builds at it at once, the later to
 * look sees the earlier's (each makes its own before it looks), so at most one goes on; both may
 * step back, and then render without the cache. Files are only ever removed by their own build's
 * unique name, or when judged dead (a single shared `.break` name, removed by age, let two builds
 * through). Not excluded: a build of the previous version at the same instant (a fresh shared
 * `.break` is respected, but that version does not see these), builds on several hosts sharing the
 * folder over a network file system (its directory listings may lag), and a holder on another host
 * stalled for over a minute between its re-read and its remove. Returns whether the place is free to take.
 */
function removeStale(file: string, stale: string, temp: string): boolean {
  const mine = temp.replace(/\.tmp$/, '.break');
  try {
    linkSync(temp, mine);
  } catch {
    return false; // its temp file gone (judged dead by another build): render without the cache
  }
  try {
    if (besideLock(file).some((b) => b.full !== mine && breakLive(b.rest, b.full))) return false;
    const now = readLock(file);
    if (now === undefined) return true;
    if (now.text !== stale) return false;
    rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(mine, { force: true });
  }
}

/**
 * Takes `<dir>.lock`, or a stale one; returns its content, or undefined when a live build holds it.
 * The content is written to a temp file first and linked into place, so a reader never sees a
 * lock without its holder. A stale lock is removed only if it is still the one judged stale, by
 * one build at a time (`removeStale`); what killed builds left beside the lock goes first.
 */
function lock(file: string): string | undefined {
  removeLeftovers(file);
  const holder: Holder = { pid: process.pid, host: hostname(), start: startTicks(process.pid), nonce: randomBytes(8).toString('hex') };
  const text = JSON.stringify(holder);
  const temp = `${file}.${holder.pid}-${holder.nonce}.tmp`;
  writeFileSync(temp, text);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(temp, file);
        heldHere.add(holder.nonce);
        return text;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
      }
      const found = readLock(file);
      if (!found) continue;
      if (!isStale(found.text, found.ageMs) || !removeStale(file, found.text, temp)) return undefined;
    }
    return undefined;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Removes the lock if it is still the one `lock` wrote. */
async function unlock(file: string, text: string): Promise<void> {
  heldHere.delete((JSON.parse(text) as Holder).nonce);
  const now = await readFile(file, 'utf8').catch(() => undefined);
  if (now === text) await rm(file, { force: true });
}

/**
 * Why the folder cannot be trusted, or undefined when every file is where its record says with
 * the recorded size — and the recorded CRC, for the files outside `dist/` and the page copies
 * whose mtime moved. A page copy with its recorded size and mtime keeps its recorded sum
 * unread: its bytes are checked when a build copies it (`verifyCopy`).
 */
async function check(dir: string): Promise<{ problem?: string; sums: Map<string, FileSum>; crcChecked: number }> {
  const sums = new Map<string, FileSum>();
  let crcChecked = 0;
  const record = readJson<Record>(path.join(dir, RECORD));
  if (record?.version !== RECORD_VERSION || !record.files || typeof record.files !== 'object') return { problem: 'no record of its files', sums, crcChecked };
  const seen = new Set<string>();
  for await (const file of filesUnder(dir)) {
    if (file === RECORD) continue;
    seen.add(file);
    const want = Object.hasOwn(record.files, file) ? record.files[file] : undefined;
    if (!want) return { problem: `${file} is not in its record`, sums, crcChecked };
    const full = path.join(dir, file);
    const s = statSync(full);
    if (s.size !== want.size) return { problem: `${file} does not match its record`, sums, crcChecked };
    if (file.startsWith(COPIES + path.sep) && s.mtimeMs === want.mtimeMs && Number.isInteger(want.crc)) {
      sums.set(file, { crc: want.crc, size: want.size, mtimeMs: want.mtimeMs });
      continue;
    }
    const sum = await crcOfFile(full);
    crcChecked++;
    if (sum.size !== want.size || sum.crc !== want.crc) return { problem: `${file} does not match its record`, sums, crcChecked };
    sums.set(file, sum);
  }
  const missing = Object.keys(record.files).find((f) => !seen.has(f));
  if (missing) return { problem: `${missing} is missing`, sums, crcChecked };
  return { sums, crcChecked };
}

/**
 * Opens the page cache in `dir` for one build: locked, checked (removed when it fails the check),
 * its record removed until `seal`. Undefined when another live build holds it: render everything.
 */
export async function openPageCache(folder: string, log: (line: string) => void): Promise<PageCache | undefined> {
  // Absolute: the copies Astro's manifest names are resolved against it (copiesIn), and a relative one would match none.
  const dir = path.resolve(folder);
  makeFolders(path.dirname(dir));
  const lockFile = `${dir}.lock`;
  const held = lock(lockFile);
  if (held === undefined) {
    log(`site: the page cache ${dir} is in use by another build: every page is rendered, the cache is left as it is`);
    return undefined;
  }
  const release = async () => {
    await unlock(lockFile, held);
  };
  const damaged = async (problem: string) => {
    console.warn(`cache: ${dir} is damaged (${problem}): removed; every page is rendered and the cache rebuilt`);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    let sums = new Map<string, FileSum>();
    let reusable = false;
    let crcChecked = 0;
    if (existsSync(dir)) {
      const checked = await check(dir);
      crcChecked = checked.crcChecked;
      if (checked.problem) await damaged(checked.problem);
      else {
        sums = checked.sums;
        reusable = true;
      }
    }
    let previous = reusable ? readJson<AstroManifest>(path.join(dir, MANIFEST)) : undefined;
    await rm(path.join(dir, RECORD), { force: true });
    const copies = pathToFileURL(path.join(dir, COPIES) + path.sep);
    return {
      dir,
      reusable,
      checked: sums.size,
      crcChecked,
      release,
      async seal() {
        makeFolders(dir); // gone when a build that wrote no page copy dropped it
        const next = readJson<AstroManifest>(path.join(dir, MANIFEST));
        const wanted = copiesIn(dir, next);
        const files: Record['files'] = {};
        let pruned = 0;
        // One walk: page copies the new manifest does not point to are deleted, the other files recorded.
        for await (const file of filesUnder(dir)) {
          if (file === RECORD) continue;
          const full = path.join(dir, file);
          if (wanted && file.startsWith(COPIES + path.sep) && !wanted.has(full)) {
            await rm(full, { force: true });
            pruned++;
            continue;
          }
          const s = statSync(full);
          const known = sums.get(file);
          // A file this build did not write keeps its recorded sum (a page copy Astro took is checked by verifyCopy); one it wrote is read again.
          files[file] = known && known.size === s.size && known.mtimeMs === s.mtimeMs ? known : await crcOfFile(full);
        }
        if (pruned) await removeEmptyFolders(path.join(dir, COPIES));
        await writeFile(path.join(dir, RECORD), JSON.stringify({ version: RECORD_VERSION, files } satisfies Record));
        return { ...reuseCount(previous, next), pruned };
      },
      verifyCopy(file, bytes) {
        // Resolved as Astro does (incremental.js getCachedOutputFile), as copiesIn does.
        const name = path.relative(dir, fileURLToPath(new URL(file, copies)));
        const want = sums.get(name);
        if (!want) return `${name} is not in its record`;
        return bytes.length === want.size && crc32(bytes) === want.crc ? undefined : `${name} does not match its record`;
      },
      async drop(problem) {
        await damaged(problem);
        sums = new Map();
        previous = undefined;
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}

/**
 * The page copies under `<dir>/dist` that Astro's new manifest points to (full paths); `seal`
 * deletes the others, and the folders that leaves empty. Astro prunes copies itself only against
 * a manifest it accepted: when the config or lockfile hash changed, it starts afresh and the old
 * copies would stay (and be checked) forever. Undefined without a manifest: nothing is deleted.
 */
function copiesIn(dir: string, manifest: AstroManifest | undefined): Set<string> | undefined {
  if (!manifest?.routes) return undefined;
  // outputFile is a URL path relative to the output (`rules/c%20d/index.html`), resolved as Astro does (incremental.js getCachedOutputFile).
  const base = pathToFileURL(path.join(dir, COPIES) + path.sep);
  const wanted = new Set<string>();
  for (const route of Object.values(manifest.routes)) {
    for (const entry of Object.values(route.paths ?? {})) {
      if (typeof entry.outputFile === 'string') wanted.add(fileURLToPath(new URL(entry.outputFile, base)));
    }
  }
  return wanted;
}

/** Removes the empty folders under `dir` (not `dir` itself); returns whether `dir` is empty after. */
async function removeEmptyFolders(dir: string): Promise<boolean> {
  let empty = true;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && (await removeEmptyFolders(full))) await rmdir(full);
    else empty = false;
  }
  return empty;
}

/** Keyed pages of this build, and how many of them Astro could copy (the same test as its canSkip). */
function reuseCount(previous: AstroManifest | undefined, next: AstroManifest | undefined): { keyed: number; reused: number; files: string[] } {
  let keyed = 0;
  let reused = 0;
  const files: string[] = [];
  const sameBuild = previous && next && previous.configHash === next.configHash && previous.lockfileHash === next.lockfileHash;
  for (const [component, route] of Object.entries(next?.routes ?? {})) {
    const before = sameBuild ? previous.routes?.[component] : undefined;
    for (const [pathname, entry] of Object.entries(route.paths ?? {})) {
      keyed++;
      if (before && before.dependencyHash === route.dependencyHash && before.paths?.[pathname]?.cacheKey === entry.cacheKey) {
        reused++;
        if (entry.outputFile) files.push(entry.outputFile);
      }
    }
  }
  return { keyed, reused, files };
}
