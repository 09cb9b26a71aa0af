/**
 * `atlas payloads fetch --atomics DIR --out DIR`: fills a payload store (the layout
 * simulate/payload-store.ts reads) from the network, for CI users who want predictions on
 * what tests load. Every http(s) URL in the tests' commands, cleanup, input-argument defaults and
 * dependencies is fetched as written (pinned commits stay pinned); text files are kept, binaries,
 * pages and failures are listed with the reason. This is the only code that touches the network,
 * and it runs only when asked: builds read the store offline.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { substituteArguments } from '../atomic/arguments.ts';
import { loadAtomics } from '../atomic/load.ts';
import { compareStrings } from '../order.ts';
import { extractUrls } from './urls.ts';

export interface FetchOptions {
  atomics: string;
  out: string;
  /** Parallel downloads (default 4). */
  concurrency?: number;
  /** Per-request time limit in milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Largest file kept, in bytes (default 2 MB, as the corpus store). */
  maxBytes?: number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

export interface FetchReport {
  urls: number;
  stored: number;
  skipped: number;
  unresolved: number;
}

interface Entry {
  file: string;
  sha256: string;
  bytes: number;
  source: string;
}

/**
 * Every URL the atomics' tests name, after `#{arg}` defaults are substituted, sorted. The tests
 * are read by the build's loader (`loadAtomics`), so fetching sees the same tests and values the
 * simulator will run; a file the build reports as broken is skipped here.
 */
export async function atomicsUrls(atomics: string): Promise<string[]> {
  const urls = new Set<string>();
  for (const technique of (await loadAtomics(atomics)).techniques) {
    for (const t of technique.tests) {
      const texts = [t.command, t.cleanup, ...t.inputArguments.map((a) => a.default), ...t.dependencies.flatMap((d) => [d.prereqCommand, d.getPrereqCommand])];
      for (const text of texts) if (text !== undefined) for (const url of extractUrls(substituteArguments(text, t.inputArguments))) urls.add(url);
    }
  }
  return [...urls].sort(compareStrings);
}

/** `<host>/<path>` below the store, query dropped, no segment able to leave the folder. */
export function storePath(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  let segments: string[];
  try {
    segments = [u.host.replace(/:/g, '_'), ...u.pathname.split('/').map((s) => decodeURIComponent(s))];
  } catch {
    return undefined; // a malformed %-escape
  }
  // A decoded segment may hold `/` (from %2F) as well as `\`: drop it rather than let it climb out.
  segments = segments.filter((s) => s !== '' && s !== '.' && s !== '..' && !/[\\/\0]/.test(s));
  return segments.length > 1 ? segments.join('/') : undefined;
}

function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

export async function fetchPayloads(options: FetchOptions): Promise<FetchReport> {
  const get = options.fetch ?? fetch;
  const log = options.log ?? (() => {});
  const maxBytes = options.maxBytes ?? 2 * 1024 * 1024;
  const urls = await atomicsUrls(options.atomics);
  const indexFile = path.join(options.out, 'index.json');
  const previous = existsSync(indexFile) ? (JSON.parse(readFileSync(indexFile, 'utf8')) as Record<string, unknown>) : {};
  const entries = new Map<string, Entry>();
  const skipped: { url: string; why: string }[] = [];
  const unresolved: { url: string; why: string }[] = [];
  let next = 0;
  const worker = async () => {
    while (next < urls.length) {
      const url = urls[next++]!;
      const file = storePath(url);
      if (!file) {
        skipped.push({ url, why: 'not a file URL' });
        continue;
      }
      try {
        const response = await get(url, { redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs ?? 30_000) });
        if (!response.ok) {
          unresolved.push({ url, why: `HTTP ${response.status}` });
          continue;
        }
        const bytes = new Uint8Array(await response.arrayBuffer());
        const type = response.headers.get('content-type') ?? '';
        if (bytes.length > maxBytes) skipped.push({ url, why: `larger than ${maxBytes} bytes` });
        else if (looksBinary(bytes)) skipped.push({ url, why: 'binary content' });
        else if (/text\/html/i.test(type) && /^\s*<(!doctype|html)/i.test(Buffer.from(bytes.subarray(0, 200)).toString('utf8')))
          skipped.push({ url, why: 'a web page' });
        else {
          const full = path.join(options.out, ...file.split('/'));
          mkdirSync(path.dirname(full), { recursive: true });
          writeFileSync(full, bytes);
          entries.set(url, { file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, source: url });
          log(`stored   ${url}`);
        }
      } catch (error) {
        unresolved.push({ url, why: (error as Error).name === 'TimeoutError' ? 'timed out' : (error as Error).message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  const byUrl = (a: { url: string }, b: { url: string }) => compareStrings(a.url, b.url);
  const index: Record<string, unknown> = {};
  for (const url of [...entries.keys()].sort(compareStrings)) index[url] = entries.get(url);
  // Installed modules are not fetched from test URLs; a store's existing entry is kept.
  if (previous['modules']) index['modules'] = previous['modules'];
  index['skipped'] = skipped.sort(byUrl);
  index['unresolved'] = unresolved.sort(byUrl);
  mkdirSync(options.out, { recursive: true });
  writeFileSync(indexFile, `${JSON.stringify(index, null, 2)}\n`);
  return { urls: urls.length, stored: entries.size, skipped: skipped.length, unresolved: unresolved.length };
}
