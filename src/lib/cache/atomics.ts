/**
 * Incremental Atomic loading: per technique folder the cache keeps the loader's result for its
 * Txxxx.yaml and Txxxx.md. Checks spanning folders (duplicate guids) still run over every folder
 * in `loadAtomics`, so they stay exact.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAtomics, type AtomicLoadResult, type Folder, type FolderResult } from '../atomic/load.ts';
import { contentHash, isRacy, sameStamp, stampOf, type Stamp } from './stamp.ts';
import type { CacheSection } from './store.ts';

export interface AtomicFolderEntry {
  yaml?: Stamp;
  md?: Stamp;
  racy: boolean;
  hash: string;
  result: FolderResult;
}

export interface AtomicsLoad extends AtomicLoadResult {
  /** Technique files whose folder's cached result is reused. */
  cached: number;
  /** Technique files read and parsed. */
  read: number;
}

export async function loadAtomicsIncremental(root: string, cache: CacheSection<AtomicFolderEntry>): Promise<AtomicsLoad> {
  let cached = 0;
  let read = 0;
  const result = await loadAtomics(root, async (root, folder, load) => {
    const files = [folder.yaml, folder.md].filter((f) => f !== undefined).length;
    const key = [path.resolve(root), root, folder.name, folder.yaml ?? '', folder.md ?? ''].join('\u0000');
    const stamp = (rel?: string) => (rel === undefined ? undefined : stampOf(path.join(root, rel)));
    const [yaml, md] = [stamp(folder.yaml), stamp(folder.md)];
    const entry = cache.get(key);
    if (entry && !entry.racy && sameStamp(entry.yaml, yaml) && sameStamp(entry.md, md)) {
      cached += files;
      return entry.result;
    }
    const hash = await hashFolder(root, folder);
    if (hash === undefined) {
      read += files;
      return load(); // an unreadable file: its diagnostic is not cached, so a fix is seen at once
    }
    if (entry && entry.hash === hash) {
      cached += files;
      cache.set(key, { ...entry, yaml, md, racy: isRacy(yaml) || isRacy(md) });
      return entry.result;
    }
    read += files;
    const fresh = await load();
    cache.set(key, { yaml, md, racy: isRacy(yaml) || isRacy(md), hash, result: fresh });
    return fresh;
  });
  return { ...result, cached, read };
}

/** Hash of the folder's two files, or undefined when one cannot be read. */
async function hashFolder(root: string, folder: Folder): Promise<string | undefined> {
  const bytes = (rel?: string) => (rel === undefined ? undefined : readFile(path.join(root, rel)).catch(() => null));
  const contents = await Promise.all([bytes(folder.yaml), bytes(folder.md)]);
  if (contents.includes(null)) return undefined;
  return contentHash(...(contents as (Buffer | undefined)[]));
}
