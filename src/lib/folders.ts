/**
 * Folder helpers. `makeFolders` is `mkdir -p`, one level at a time: Node's recursive mkdir (sync
 * and async) spins forever, using a whole core, where a folder cannot be made and the error is
 * ENOENT — under /proc, for one — so a build started from such a folder would hang instead of failing.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loopTurn, STEPS_PER_TURN } from './parallel.ts';

export function makeFolders(dir: string): void {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) makeFolders(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Every file below `dir` (symbolic links not followed), as a path relative to `dir`. Each folder is
 * read with a synchronous readdir: the page cache and the site hold ~13k–18k folders of one page
 * each, and a thread-pool round trip per folder (an async walk) took twice as long or more. (Node's
 * `recursive` readdir would enter links to folders.)
 */
export async function* filesUnder(dir: string): AsyncGenerator<string> {
  const folders = [''];
  let read = 0;
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    // The event loop is let run now and then (other work goes on beside a walk of the whole site: Pagefind's pipes).
    if (++read % STEPS_PER_TURN === 0) await loopTurn();
    for (const entry of readdirSync(path.join(dir, folder), { withFileTypes: true })) {
      const file = folder ? path.join(folder, entry.name) : entry.name;
      if (entry.isDirectory()) folders.push(file);
      else yield file;
    }
  }
}

/**
 * The files below `dir` as `/`-separated paths relative to it, unsorted. Links are listed and never
 * entered (Node's `recursive` readdir enters links to folders); with `regularOnly`, only regular
 * files are listed: what the input loaders read, as they follow no link. `dir` itself may be
 * reached through a link. One synchronous readdir per folder (see filesUnder). A folder that cannot
 * be read throws, or with `unreadable` is given to it (its path relative to `dir`, `''` for `dir`) and skipped.
 */
export function listFilesUnder(dir: string, regularOnly = false, unreadable?: (folder: string) => void): string[] {
  const files: string[] = [];
  const folders = [''];
  for (let folder = folders.pop(); folder !== undefined; folder = folders.pop()) {
    let entries;
    try {
      entries = readdirSync(path.join(dir, folder), { withFileTypes: true });
    } catch (error) {
      // A folder that cannot be read (no permission, removed meanwhile, a name that is not UTF-8): skipped when asked.
      if (!unreadable) throw error;
      unreadable(folder);
      continue;
    }
    for (const entry of entries) {
      const file = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) folders.push(file);
      else if (!regularOnly || entry.isFile()) files.push(file);
    }
  }
  return files;
}
