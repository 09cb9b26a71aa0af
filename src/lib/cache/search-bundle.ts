/**
 * The search cache (`<atlas cache>/search`): the previous Pagefind bundle's fragment files and,
 * per page in the order it was given to Pagefind, its URL, a digest of the record given to
 * Pagefind and the name of its fragment file. Pagefind's `writeFiles` does not write a hashed
 * file whose name already exists in the output folder (pagefind 1.6.0 src/output/mod.rs,
 * `WriteBehavior::Immutable`), and gzip at best compression of every fragment is most of its
 * time: the fragments of pages whose record is unchanged are linked into the new bundle before
 * `writeFiles`, which then skips them.
 *
 * A fragment name is a 7-hex-digit prefix of the SHA-1 of its content (longer only when two pages
 * of one build collide), so a new or changed page can be given the name of a seeded file, and
 * Pagefind would then publish the seeded text for it. That is ruled out, not made unlikely:
 * - a page's fragment is a function of its record and the index options alone (it holds url,
 *   content, word count, filters, meta and anchors, no page number; the bytes are gzip of it at a
 *   fixed level), so a file is seeded only for a page whose record digest and `config` are unchanged;
 * - after `writeFiles`, the new `pf_meta` names every page's fragment in page order (= the order
 *   records were given): every page whose name was seeded must be the page it was seeded for.
 *   Otherwise the bundle is removed and written again without seeds (Pagefind allows a second
 *   `writeFiles` on one index);
 * - seeded files the new meta does not name are removed (a name that was collision-extended before);
 * - each cached file is linked (copied across file systems) first and then read back where it now
 *   is, in this build's own folder, and its SHA-256 compared with the cache manifest's: a damaged
 *   or truncated copy, one edited in place through a hard link from a published output, or one
 *   from another build's cache generation never stays in the bundle. The manifest carries its own SHA-256.
 * Index chunks and filters are not seeded: their content depends on every page, and nothing short
 * of Pagefind's own write says whether a chunk of the same name has the same words. But when every
 * page's record is the cached one, in the same order, for the same options and the same Pagefind
 * (its binary's digest and the `PAGEFIND_*` environment it reads: scripts/search-index.ts), the
 * whole bundle (kept in the cache beside the fragments) is taken, each file checked the same way,
 * and Pagefind writes nothing: what it would write depends on nothing else. Its answers to those
 * records are then not awaited: the cache was saved after the same records parsed without error.
 *
 * The cache is written after a verified bundle. Its files are kept by the SHA-256 of their bytes
 * (`files/<sha256>`, hard links to the bundle's), added by link or by a copy renamed into place
 * and never changed; the manifest is written aside and renamed over the old one; then the files it
 * does not name are removed (a one-rule rebuild links one file and removes one, instead of the
 * whole folder). No lock is needed: a build reads a manifest whole, and every file it links is
 * checked against it; a file another build removed meanwhile is simply not seeded (Pagefind
 * writes it), and of two builds saving at once the last manifest wins.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decode } from 'cborg';
import { z } from 'zod';
import { isAlive } from '../output/staging.ts';
import { loopTurn, STEPS_PER_TURN } from '../parallel.ts';

/** A page as given to Pagefind: its URL and a digest of everything given for it (recordDigest). */
export interface SearchRecordKey {
  url: string;
  digest: string;
}

/** SHA-256 of a record given to Pagefind (`addHTMLFile`'s url and content). */
export function recordDigest(record: { url: string; content: string }): string {
  return createHash('sha256').update(record.url).update('\0').update(record.content).digest('hex');
}

/** One language's `pagefind.<hash>.pf_meta` (pagefind 1.6.0 index_metadata.rs; CBOR arrays by field number). */
export interface BundleMeta {
  language: string;
  /** Pagefind's version, as written in the meta. */
  version: string;
  /** In page order: the fragment file name (`fragment/<name>.pf_fragment`) and word count. */
  pages: { fragment: string; wordCount: number }[];
  /** Word index chunks (`index/<file>.pf_index`) and the word range each holds. */
  indexChunks: { from: string; to: string; file: string }[];
  /** Filter indexes (`filter/<file>.pf_filter`). */
  filters: { filter: string; file: string }[];
}

/** Pagefind's gzip files start with this signature once unzipped (output/mod.rs). */
const SIGNATURE = 'pagefind_dcd';

const metaSchema = z
  .tuple([
    z.string(),
    z.array(z.tuple([z.string(), z.number()]).rest(z.unknown())),
    z.array(z.tuple([z.string(), z.string(), z.string()]).rest(z.unknown())),
    z.array(z.tuple([z.string(), z.string()]).rest(z.unknown())),
  ])
  .rest(z.unknown());

/** Decodes a `pf_meta` file's bytes (gzip, signature, CBOR). */
export function decodeBundleMeta(gz: Uint8Array, language: string): BundleMeta {
  const bytes = gunzipSync(gz);
  if (bytes.subarray(0, SIGNATURE.length).toString('latin1') !== SIGNATURE) throw new Error('not a Pagefind meta file (no signature)');
  const [version, pages, chunks, filters] = metaSchema.parse(decode(bytes.subarray(SIGNATURE.length)));
  return {
    language,
    version,
    pages: pages.map(([fragment, wordCount]) => ({ fragment, wordCount })),
    indexChunks: chunks.map(([from, to, file]) => ({ from, to, file })),
    filters: filters.map(([filter, file]) => ({ filter, file })),
  };
}

const entrySchema = z.object({ version: z.string(), languages: z.record(z.string(), z.object({ hash: z.string().regex(/^[\w-]+$/) })) });

/** The metas of a written bundle, one per language (pagefind-entry.json names them). */
export function readBundleMeta(bundle: string): BundleMeta[] {
  const entry = entrySchema.parse(JSON.parse(readFileSync(path.join(bundle, 'pagefind-entry.json'), 'utf8')));
  return Object.entries(entry.languages)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([language, { hash }]) => decodeBundleMeta(readFileSync(path.join(bundle, `pagefind.${hash}.pf_meta`)), language));
}

/** The bundle's metas, or undefined when they cannot be read (another Pagefind layout): nothing is then seeded or kept. */
function metasOf(bundle: string): BundleMeta[] | undefined {
  try {
    return readBundleMeta(bundle);
  } catch {
    return undefined;
  }
}

const MANIFEST = 'manifest.json';
const MANIFEST_VERSION = 1;
const FRAGMENTS = 'fragment';
/** The cache's files, named by the SHA-256 of their bytes. */
const FILES = 'files';
const fragmentFile = (name: string) => path.join(FRAGMENTS, `${name}.pf_fragment`);
const SHA256 = /^[0-9a-f]{64}$/;
/** A temporary file of this process (`<name>.<pid>-<nonce>.tmp`), left only by a build that was killed. */
const tempName = (name: string) => `${name}.${process.pid}-${randomBytes(8).toString('hex')}.tmp`;
const TEMP = /\.(\d+)-[0-9a-f]{16}\.tmp$/;
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
/** A name that is safe to join to a folder (the manifest is read from disk). */
const NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** Bundle files named by their content (fragments, index chunks, filters, metas): linked, never edited. */
const HASHED_FILE = /^(?:fragment|index|filter)\/|\.pf_meta$/;
/** A bundle file's path, safe to join to a folder: at most one folder, no name starting with a dot. */
const BUNDLE_FILE = /^(?:[A-Za-z0-9_-]{1,80}\/)?[A-Za-z0-9_-][A-Za-z0-9_.-]{0,119}$/;

const manifestSchema = z.object({
  version: z.literal(MANIFEST_VERSION),
  config: z.string(),
  /** Pagefind's version that wrote the files. */
  pagefind: z.string(),
  /** [url, record digest, fragment name], in page order. */
  pages: z.array(z.tuple([z.string(), z.string(), z.string().regex(NAME)])),
  /** Fragment name → SHA-256 of the file's bytes. */
  files: z.record(z.string().regex(NAME), z.string().regex(SHA256)),
  /** Every other file of the bundle (meta, index chunks, filters, entry, scripts) → SHA-256 of its bytes. */
  bundle: z.record(z.string().regex(BUNDLE_FILE), z.string().regex(SHA256)).optional(),
  /** The Pagefind that wrote the bundle (`binary` of the options), when known. */
  binary: z.string().optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

/** The manifest file: its SHA-256, a newline, its JSON. */
function readManifest(dir: string, warn: (line: string) => void): Manifest | undefined {
  let text: string;
  try {
    text = readFileSync(path.join(dir, MANIFEST), 'utf8');
  } catch {
    return undefined; // no cache yet
  }
  const cut = text.indexOf('\n');
  const body = text.slice(cut + 1);
  const parsed = cut === 64 && text.slice(0, 64) === sha256(body) ? manifestSchema.safeParse(JSON.parse(body)) : undefined;
  if (parsed?.success) return parsed.data;
  warn(`cache: ${path.join(dir, MANIFEST)} is damaged: not used; every search fragment is written and the cache rebuilt`);
  return undefined;
}

/** What a bundle's fragments depend on besides their records. */
function fullConfig(config: string): string {
  return JSON.stringify({ config, platform: process.platform, arch: process.arch });
}

/**
 * Links `from` to `to`, or copies it where a link cannot be made (another file system, no link
 * support): to a temporary name renamed into place, so that `to` is never seen half written.
 * A `to` that exists already is left as it is (`to` is named by its content, or checked after).
 */
function linkOrCopy(from: string, to: string): void {
  try {
    linkSync(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    copyInto(from, to);
  }
}

/** Copies `from` to `to` through a temporary name renamed into place. */
function copyInto(from: string, to: string): void {
  const temp = tempName(to);
  try {
    copyFileSync(from, temp);
    renameSync(temp, to);
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Names in `dir`, none when it does not exist. */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Temporary files of builds that were killed while saving the cache (named by their process id, which is gone). */
function removeStale(dir: string): void {
  for (const folder of [dir, path.join(dir, FILES)]) {
    for (const name of namesIn(folder)) {
      const pid = TEMP.exec(name)?.[1];
      if (pid && !isAlive(Number(pid))) rmSync(path.join(folder, name), { force: true });
    }
  }
}

export interface WriteSearchBundleOptions {
  /** The bundle folder `write` writes (`pagefind/` of the output); must not exist yet. */
  bundle: string;
  /** The pages in the order they were given to Pagefind. */
  records: readonly SearchRecordKey[];
  /** What else decides a page's fragment: the index options (and, if known, Pagefind's version). */
  config: string;
  /** The search cache folder (`<atlas cache>/search`); without it `write` runs alone and nothing is kept. */
  cache?: string;
  /**
   * What identifies the Pagefind that runs beyond the index options: its binary (a digest of it) and
   * the environment it reads. With it, when the pages and their records are those of the cached
   * bundle, in the same order, the whole bundle is taken from the cache and `write` is not called.
   */
  binary?: string;
  /** Writes the bundle: `index.writeFiles({ outputPath: bundle })`, throwing on its errors. May run twice. */
  write: () => Promise<void>;
  /** Warnings (a damaged cache); console.warn by default. */
  warn?: (line: string) => void;
}

export interface WriteSearchBundleResult {
  /** Pages given. */
  pages: number;
  /** Fragments taken from the cache instead of written by Pagefind. */
  seeded: number;
  /** Cached fragments that did not match the manifest (not used). */
  damaged: number;
  /** Why the bundle was written a second time without seeds, when it was. */
  rewritten?: string;
  /** Whether the whole bundle was taken from the cache (the same pages and records, in the same order, same Pagefind). */
  whole?: boolean;
  /** Whether the cache now holds this bundle's fragments. */
  saved: boolean;
  /** Seconds spent linking and checking seeds, in `write` (both writes), checking the meta and removing unused seeds, saving the cache. */
  seconds?: { seed: number; write: number; check: number; save: number };
}

/**
 * Writes the bundle through `write`, with the fragments of unchanged pages taken from the cache,
 * checked as the module comment says; then replaces the cache with this bundle's fragments.
 * The bundle is the one `write` alone would give, byte for byte.
 */
export async function writeSearchBundle(opts: WriteSearchBundleOptions): Promise<WriteSearchBundleResult> {
  const { bundle, records, cache } = opts;
  const warn = opts.warn ?? ((line: string) => console.warn(line));
  const result: WriteSearchBundleResult = { pages: records.length, seeded: 0, damaged: 0, saved: false };
  if (!cache) {
    await opts.write();
    return result;
  }
  if (existsSync(bundle)) throw new Error(`${bundle} exists: the search bundle is written into a folder of its own`);
  const config = fullConfig(opts.config);
  const urls = new Set(records.map((r) => r.url));
  const unique = urls.size === records.length;
  removeStale(cache);
  let clock = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = (now - clock) / 1000;
    clock = now;
    return elapsed;
  };
  const seconds = { seed: 0, write: 0, check: 0, save: 0 };
  result.seconds = seconds;

  const previous = unique ? readManifest(cache, warn) : undefined;
  // The same pages and records as the cached bundle, in the same order, for the same Pagefind and
  // options: Pagefind would write that bundle again, byte for byte (the bundle is a function of them).
  if (opts.binary && previous?.bundle && previous.binary === opts.binary && previous.config === config && samePages(previous, records)) {
    const taken = await takeWhole(cache, bundle, previous);
    seconds.seed = lap();
    if (taken === true) {
      result.seeded = records.length;
      result.whole = true;
      result.saved = true;
      return result;
    }
    rmSync(bundle, { recursive: true, force: true });
    if (taken === 'damaged') {
      result.damaged++;
      warn(`cache: a search bundle file in ${cache} does not match its manifest: not used (Pagefind writes the bundle)`);
    }
  }

  // Seed: the fragments of pages whose record is unchanged, checked where they now are.
  const seededFor = new Map<string, string>(); // fragment name → the url it was seeded for
  const sums = new Map<string, string>(); // fragment name → SHA-256 of the file in the bundle
  if (previous && previous.config === config) {
    const before = new Map<string, { digest: string; name: string }>();
    const counts = new Map<string, number>();
    for (const [url, digest, name] of previous.pages) {
      before.set(url, { digest, name });
      counts.set(url, (counts.get(url) ?? 0) + 1);
    }
    mkdirSync(path.join(bundle, FRAGMENTS), { recursive: true });
    let done = 0;
    for (const { url, digest } of records) {
      // Pagefind may still be parsing the last records (scripts/search-index.ts): the event loop is let
      // run now and then, so its pipes are fed and read while the fragments are linked.
      if (++done % STEPS_PER_TURN === 0) await loopTurn();
      const was = before.get(url);
      const want = was && previous.files[was.name];
      if (!was || was.digest !== digest || counts.get(url) !== 1 || !want || seededFor.has(was.name)) continue;
      const linked = linkChecked(cache, want, path.join(bundle, fragmentFile(was.name)));
      if (linked === 'damaged') result.damaged++;
      if (linked !== true) continue; // gone (another build removed it meanwhile) or damaged: Pagefind writes it
      seededFor.set(was.name, url);
      sums.set(was.name, want);
    }
    result.seeded = seededFor.size;
    if (result.damaged) warn(`cache: ${result.damaged} search fragments in ${cache} do not match its manifest: not used (Pagefind writes them)`);
  }

  seconds.seed = lap();
  await opts.write();
  seconds.write = lap();

  // Check: every page that landed on a seeded name is the page it was seeded for.
  let metas = metasOf(bundle);
  const mapped = metas?.length === 1 && metas[0]!.pages.length === records.length && unique;
  let problem: string | undefined;
  if (seededFor.size) {
    if (!mapped || !metas) problem = 'the bundle does not list the pages given, in one language';
    else if (metas[0]!.version !== previous!.pagefind) problem = `Pagefind ${metas[0]!.version}, the cache is from ${previous!.pagefind}`;
    else {
      const pages = metas[0]!.pages;
      const i = pages.findIndex((p, n) => seededFor.has(p.fragment) && seededFor.get(p.fragment) !== records[n]!.url);
      if (i >= 0) problem = `${records[i]!.url} got the fragment name ${pages[i]!.fragment}, seeded for ${seededFor.get(pages[i]!.fragment)}`;
    }
  }
  if (problem) {
    result.rewritten = problem;
    seededFor.clear();
    sums.clear();
    result.seeded = 0;
    rmSync(bundle, { recursive: true, force: true });
    seconds.check = lap();
    await opts.write();
    seconds.write += lap();
    metas = metasOf(bundle);
  } else if (seededFor.size && metas) {
    const named = new Set(metas[0]!.pages.map((p) => p.fragment));
    for (const name of seededFor.keys()) {
      if (named.has(name)) continue;
      unlinkSync(path.join(bundle, fragmentFile(name)));
      seededFor.delete(name);
      sums.delete(name);
    }
    result.seeded = seededFor.size;
  }
  seconds.check += lap();

  if (metas?.length === 1 && metas[0]!.pages.length === records.length && unique) {
    try {
      saveCache(cache, bundle, records, metas[0]!, config, sums, opts.binary);
      result.saved = true;
    } catch (error) {
      warn(`cache: the search cache ${cache} could not be written (${(error as Error).message}); the next build writes every fragment`);
    }
  }
  seconds.save = lap();
  return result;
}

/**
 * Links the cache's file `sum` to `to` and checks it there: true, `missing` (another build removed
 * it meanwhile), or `damaged` (not what its name says: unlinked from `to`, and removed from the
 * cache so that the next save puts the right one in its place).
 */
function linkChecked(cache: string, sum: string, to: string, copy = false): true | 'missing' | 'damaged' {
  const from = path.join(cache, FILES, sum);
  let bytes: Buffer;
  try {
    if (copy) copyInto(from, to);
    else linkOrCopy(from, to);
    bytes = readFileSync(to);
  } catch {
    return 'missing';
  }
  if (sha256(bytes) === sum) return true;
  unlinkSync(to);
  rmSync(from, { force: true });
  return 'damaged';
}

/** Whether `records` are the manifest's pages: the same URLs with the same record digests, in the same order. */
function samePages(manifest: Manifest, records: readonly SearchRecordKey[]): boolean {
  return manifest.pages.length === records.length && manifest.pages.every(([url, digest], i) => records[i]!.url === url && records[i]!.digest === digest);
}

/** Links every file of the cached bundle into `bundle`, each checked: true, or why not (the bundle is then partial). */
async function takeWhole(cache: string, bundle: string, manifest: Manifest): Promise<true | 'missing' | 'damaged'> {
  const files: [string, string][] = [
    ...manifest.pages.map(([, , name]): [string, string] => [fragmentFile(name), manifest.files[name] ?? '']),
    ...Object.entries(manifest.bundle ?? {}),
  ];
  const folders = new Set(files.map(([file]) => path.dirname(path.join(bundle, file))));
  for (const folder of folders) mkdirSync(folder, { recursive: true });
  let done = 0;
  for (const [file, sum] of files) {
    if (++done % STEPS_PER_TURN === 0) await loopTurn();
    if (!SHA256.test(sum)) return 'missing';
    const linked = linkChecked(cache, sum, path.join(bundle, file), !HASHED_FILE.test(file));
    if (linked !== true) return linked;
  }
  // The meta names the manifest's pages, in order, and every index chunk and filter is there.
  const metas = metasOf(bundle);
  const meta = metas?.length === 1 ? metas[0]! : undefined;
  if (!meta || meta.pages.length !== manifest.pages.length || meta.pages.some((p, i) => p.fragment !== manifest.pages[i]![2])) return 'missing';
  const parts = [...meta.indexChunks.map((c) => `index/${c.file}.pf_index`), ...meta.filters.map((f) => `filter/${f.file}.pf_filter`)];
  return parts.every((part) => existsSync(path.join(bundle, part))) ? true : 'missing';
}

/** The bundle's files other than its fragments, as `folder/name` paths, sorted; a deeper folder as `folder/name/` (not kept). */
function bundleFiles(bundle: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(bundle, { withFileTypes: true })) {
    if (entry.isFile()) out.push(entry.name);
    else if (entry.isDirectory() && entry.name !== FRAGMENTS)
      for (const inner of readdirSync(path.join(bundle, entry.name), { withFileTypes: true }))
        out.push(`${entry.name}/${inner.name}${inner.isFile() ? '' : '/'}`);
  }
  return out.sort();
}

/** Adds this bundle's fragments to the cache's files, writes its manifest, removes the files it no longer names. */
function saveCache(
  cache: string,
  bundle: string,
  records: readonly SearchRecordKey[],
  meta: BundleMeta,
  config: string,
  sums: Map<string, string>,
  binary: string | undefined,
): void {
  const files: Manifest['files'] = {};
  const pages: Manifest['pages'] = meta.pages.map((p, i) => [records[i]!.url, records[i]!.digest, p.fragment]);
  mkdirSync(path.join(cache, FILES), { recursive: true });
  const present = new Set(namesIn(path.join(cache, FILES)));
  for (const { fragment } of meta.pages) {
    if (!NAME.test(fragment)) throw new Error(`unexpected fragment name ${fragment}`);
    const from = path.join(bundle, fragmentFile(fragment));
    const sum = sums.get(fragment) ?? sha256(readFileSync(from));
    files[fragment] = sum;
    if (!present.has(sum)) linkOrCopy(from, path.join(cache, FILES, sum));
  }
  // The other files, for a later build of the same pages (takeWhole); a bundle laid out otherwise keeps only its fragments.
  let whole: Manifest['bundle'] = {};
  for (const file of bundleFiles(bundle)) {
    if (!BUNDLE_FILE.test(file)) {
      whole = undefined;
      break;
    }
    const sum = sha256(readFileSync(path.join(bundle, file)));
    whole[file] = sum;
    if (!present.has(sum)) {
      // Files named by their content are linked; the others (scripts, styles, wasm, entry) are copied,
      // as a site's maintainer may edit them in a published output.
      if (HASHED_FILE.test(file)) linkOrCopy(path.join(bundle, file), path.join(cache, FILES, sum));
      else copyInto(path.join(bundle, file), path.join(cache, FILES, sum));
      present.add(sum);
    }
  }
  const body = JSON.stringify({
    version: MANIFEST_VERSION,
    config,
    pagefind: meta.version,
    pages,
    files,
    ...(whole && { bundle: whole }),
    ...(binary !== undefined && { binary }),
  } satisfies Manifest);
  const temp = path.join(cache, tempName(MANIFEST));
  try {
    writeFileSync(temp, `${sha256(body)}\n${body}`);
    renameSync(temp, path.join(cache, MANIFEST));
  } finally {
    rmSync(temp, { force: true });
  }
  const named = new Set([...Object.values(files), ...Object.values(whole ?? {})]);
  for (const name of present) if (SHA256.test(name) && !named.has(name)) rmSync(path.join(cache, FILES, name), { force: true });
}
