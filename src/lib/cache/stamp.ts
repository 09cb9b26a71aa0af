/**
 * Has a file changed since it was cached? Size, modification and change time and inode answer first (one stat);
 * the content hash confirms whenever they differ, so a fresh checkout (new mtimes, same bytes)
 * still reuses everything.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';

export interface Stamp {
  size: number;
  mtimeMs: number;
  /** Change time and inode: an edit whose mtime was set back (touch -r, some sync tools) still changes these. */
  ctimeMs?: number;
  ino?: number;
}

/**
 * A file modified this shortly before it was read may change again within the same timestamp
 * tick, invisibly to stat; such an entry is confirmed by its hash the next time (as git does with
 * "racily clean" index entries). The clock is used only here, never in any output.
 */
const RACY_MS = 2000;

/** The file's stamp, or undefined when it cannot be stat'ed. Synchronous: thousands of stats run several times faster so. */
export function stampOf(file: string): Stamp | undefined {
  try {
    const s = statSync(file, { throwIfNoEntry: false });
    return s && { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino };
  } catch {
    return undefined;
  }
}

export function sameStamp(a: Stamp | undefined, b: Stamp | undefined): boolean {
  if (!a || !b) return a === b;
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

export function isRacy(stamp: Stamp | undefined): boolean {
  return stamp !== undefined && Date.now() - stamp.mtimeMs < RACY_MS;
}

export function contentHash(...parts: (Buffer | string | undefined)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part === undefined ? '\u0000absent' : part).update('\u0000');
  return hash.digest('hex');
}
