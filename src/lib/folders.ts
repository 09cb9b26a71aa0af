/**
 * Folder helpers. `makeFolders` is `mkdir -p`, one level at a time: Node's recursive mkdir (sync
 * and async) spins forever, using a whole core, where a folder cannot be made and the error is
 * ENOENT — under /proc, for one — so a build started from such a folder would hang instead of failing.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

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

/** Every file below `dir` (symbolic links not followed), as a path relative to `dir`. */
export async function* filesUnder(dir: string, base = dir): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full, base);
    else yield path.relative(base, full);
  }
}
