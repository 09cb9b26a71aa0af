/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir (sync and async) spins forever, using a
 * whole core, where a folder cannot be made and the error is ENOENT — under /proc, for one — so a
 * build started from such a folder would hang instead of failing.
 */
import { existsSync, mkdirSync } from 'node:fs';
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
