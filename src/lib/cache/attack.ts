/** The ATT&CK bundle, parsed once per content hash. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadAttackBundle, type AttackLoadResult } from '../attack/stix.ts';
import { contentHash, isRacy, sameStamp, stampOf, type Stamp } from './stamp.ts';
import type { CacheSection } from './store.ts';

export interface AttackEntry {
  stamp: Stamp;
  racy: boolean;
  hash: string;
  result: AttackLoadResult;
}

export async function loadAttackCached(file: string, cache: CacheSection<AttackEntry>): Promise<AttackLoadResult & { cached: boolean }> {
  const key = [path.resolve(file), file].join('\u0000');
  const stamp = stampOf(file);
  const entry = cache.get(key);
  if (entry && stamp && !entry.racy && sameStamp(entry.stamp, stamp)) return { ...entry.result, cached: true };
  const bytes = await readFile(file).catch(() => undefined);
  // Unreadable: the loader reports it, and nothing is cached.
  if (!bytes || !stamp) return { ...(await loadAttackBundle(file)), cached: false };
  const hash = contentHash(bytes);
  if (entry && entry.hash === hash) {
    cache.set(key, { ...entry, stamp, racy: isRacy(stamp) });
    return { ...entry.result, cached: true };
  }
  const result = await loadAttackBundle(file);
  cache.set(key, { stamp, racy: isRacy(stamp), hash, result });
  return { ...result, cached: false };
}
