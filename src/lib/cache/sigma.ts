/**
 * Incremental Sigma loading. Per file the cache keeps the modelled rules, their indicators and
 * the file's diagnostics; a file is read again only when its stat changed, and parsed and
 * modelled again only when its content hash changed too. Cross-references are not cached: the
 * catalog is rebuilt from every file's rules each time, so counts and links stay exact.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics.ts';
import { ruleIndicators, type Indicator } from '../indicators/extract.ts';
import { collectionOf, listSigmaFiles, parseSigmaFile, type RawSigmaDocument } from '../sigma/load.ts';
import { limiter } from '../parallel.ts';
import { modelSigmaFile, type SigmaRule } from '../sigma/rule.ts';
import { contentHash, isRacy, sameStamp, stampOf, type Stamp } from './stamp.ts';
import type { CacheSection } from './store.ts';

export interface SigmaFileEntry {
  stamp: Stamp;
  racy: boolean;
  hash: string;
  /** YAML documents in the file (for the progress line). */
  documents: number;
  rules: SigmaRule[];
  /** Each rule's indicators, in the order of `rules`. */
  indicators: Indicator[][];
  /** Everything found in this file: load and model diagnostics. */
  diagnostics: Diagnostic[];
}

/** A file to parse and model: its documents, and what its entry will be stamped with. */
interface FreshFile {
  key: string;
  stamp: Stamp;
  hash: string;
  documents: RawSigmaDocument[];
  diagnostics: Diagnostic[];
}

type ScanItem = { key: string; entry: SigmaFileEntry } | FreshFile;

export interface SigmaScan {
  files: number;
  /** Files whose cached result is reused. */
  cached: number;
  /** Files read and parsed. */
  read: number;
  /** Cached files whose stat had changed and whose content hash proved them unchanged. */
  hashChecked: number;
  documents: number;
  /** In root order, then path order. */
  items: ScanItem[];
  /** Entries under a root that are not read at all (links, FIFOs …), and unreadable files. */
  diagnostics: Diagnostic[];
}

/** Cache key: the root as resolved and as given (diagnostics name files by the given path), and the file below it. */
function keyOf(root: string, relativePath: string): string {
  return [path.resolve(root), root, relativePath].join('\u0000');
}

export async function scanSigma(roots: string[], cache: CacheSection<SigmaFileEntry>): Promise<SigmaScan> {
  const scan: SigmaScan = { files: 0, cached: 0, read: 0, hashChecked: 0, documents: 0, items: [], diagnostics: [] };
  const reading = limiter(); // thousands of reads at once run out of file descriptors (EMFILE)
  for (const root of roots) {
    const listed = await listSigmaFiles(root);
    scan.files += listed.files.length;
    scan.diagnostics.push(...listed.diagnostics);
    // The common case (stat unchanged) is answered synchronously; only the others are read.
    const items: (ScanItem | Promise<ScanItem | undefined>)[] = listed.files.map((rel) => {
      const key = keyOf(root, rel);
      const stamp = stampOf(path.join(root, rel));
      const entry = cache.get(key);
      if (entry && stamp && !entry.racy && sameStamp(entry.stamp, stamp)) {
        scan.cached++;
        return { key, entry };
      }
      return reading(() => readChanged(root, rel, key, stamp, entry, cache, scan));
    });
    for (const item of await Promise.all(items)) if (item) scan.items.push(item);
  }
  for (const item of scan.items) scan.documents += 'entry' in item ? item.entry.documents : item.documents.length;
  return scan;
}

/** A file whose stat changed (or that is new): reused when its content hash is the cached one, else parsed. */
async function readChanged(
  root: string,
  rel: string,
  key: string,
  stamp: Stamp | undefined,
  entry: SigmaFileEntry | undefined,
  cache: CacheSection<SigmaFileEntry>,
  scan: SigmaScan,
): Promise<ScanItem | undefined> {
  const file = path.join(root, rel);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    scan.diagnostics.push(diagnostic(file, 'unreadable', `cannot read file: ${(error as Error).message}`));
    return undefined;
  }
  const hash = contentHash(bytes);
  const now = stamp ?? { size: bytes.length, mtimeMs: 0 };
  if (entry && entry.hash === hash) {
    scan.cached++;
    scan.hashChecked++;
    const confirmed = { ...entry, stamp: now, racy: isRacy(now) };
    cache.set(key, confirmed);
    return { key, entry: confirmed };
  }
  scan.read++;
  return { key, stamp: now, hash, ...parseSigmaFile(bytes, file, rel, collectionOf(root, rel)) };
}

export interface SigmaModel {
  rules: SigmaRule[];
  /** Each rule's indicators, in the order of `rules`. */
  indicators: Indicator[][];
  diagnostics: Diagnostic[];
  /** Files parsed into rules by this build (the others came from the cache). */
  modelled: number;
}

/** Models the files that were read, stores them, and returns every file's rules in scan order. */
export function modelSigma(scan: SigmaScan, cache: CacheSection<SigmaFileEntry>): SigmaModel {
  const model: SigmaModel = { rules: [], indicators: [], diagnostics: [...scan.diagnostics], modelled: 0 };
  for (const item of scan.items) {
    let entry: SigmaFileEntry;
    if ('entry' in item) entry = item.entry;
    else {
      model.modelled++;
      const result = item.documents.length ? modelSigmaFile(item.documents) : { rules: [], diagnostics: [] };
      entry = {
        stamp: item.stamp,
        racy: isRacy(item.stamp),
        hash: item.hash,
        documents: item.documents.length,
        rules: result.rules,
        indicators: result.rules.map(ruleIndicators),
        diagnostics: [...item.diagnostics, ...result.diagnostics],
      };
      cache.set(item.key, entry);
    }
    model.rules.push(...entry.rules);
    model.indicators.push(...entry.indicators);
    model.diagnostics.push(...entry.diagnostics);
  }
  return model;
}
