/**
 * The payload store: the text a test loads at run time, read offline. Two sources:
 *  - a payloads folder (`--payloads DIR`) with `index.json` mapping each URL the tests fetch to a
 *    file below it, plus installed PowerShell modules (AtomicTestHarnesses) and their functions;
 *  - the atomics folder's own `src/` and `bin/` files (`PathToAtomicsFolder\T1234\src\x.ps1`).
 * Every file the store may serve is read when it opens (≈13 MB on the full corpus), through no link,
 * and served from there: the predictions cache hashes exactly those bytes (cache/predictions.ts
 * payloadsHash), so a file changed while a build runs is never predicted under another version's
 * hash. A file's text is decoded when first asked for and kept, so a framework loaded by forty
 * tests is decoded once.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { listFilesUnder } from '../folders.ts';
import { z } from 'zod';
import type { ScriptBlockPart } from './scriptblock.ts';

/** A loaded text and the name a reader is shown for it. */
export interface Payload {
  text: string;
  /** `payloads/<path>` or `atomics/<Txxxx>/src/<file>`. */
  file: string;
  /**
   * What the simulator derives from `text`, filled in by the modules that read it the first time
   * they need it: the store keeps one Payload per file, so a framework loaded by forty tests
   * (WinPwn) is split once, not forty times.
   */
  readonly derived: PayloadDerived;
}

export interface PayloadDerived {
  /** The text by lines (a batch file runs line by line; launch.ts). */
  lines?: readonly string[];
  /** What runs when the script is loaded (loaded.ts `topLevelStatements`). */
  topLevel?: string;
  /** Its 4104 parts with the line each starts on (trace.ts `loggedScriptBlock`). */
  scriptBlocks?: readonly { part: ScriptBlockPart; line: number }[];
}

const fileEntry = z.object({ file: z.string(), sha256: z.string().optional(), bytes: z.number().optional(), source: z.string().optional() });
const moduleEntry = z.object({
  dir: z.string(),
  source: z.string().optional(),
  files: z.array(fileEntry),
  /** Function name → the file defining it. */
  functions: z.record(z.string(), z.string()),
});
const indexSchema = z
  .object({
    modules: z.record(z.string(), moduleEntry).optional(),
    skipped: z.array(z.object({ url: z.string(), why: z.string() })).optional(),
    unresolved: z.array(z.object({ url: z.string(), why: z.string() })).optional(),
  })
  .catchall(fileEntry);

export type PayloadIndex = z.infer<typeof indexSchema>;

export class PayloadError extends Error {}

/** Larger files are not read (the corpus store keeps files up to 2 MB; Invoke-Mimikatz.ps1 is 2.8 MB). */
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export interface InstalledModule {
  name: string;
  /** Files in the order the module's loader dot-sources them (its own .psm1 first). */
  files: Payload[];
}

export class PayloadStore {
  /** Every file the store may serve, by store name (`payloads/<path>`, `atomics/<Txxxx>/src/<path>`), as read when it opened. */
  readonly files: ReadonlyMap<string, StoreFile>;
  private readonly texts = new Map<string, Payload | null>();
  private readonly urls = new Map<string, string>();
  private readonly modules = new Map<string, { name: string; files: string[] }>();
  private readonly functions = new Map<string, string>();
  private atomicsFiles?: Map<string, string>;

  private constructor(
    private readonly dir: string | undefined,
    atomics: string | undefined,
  ) {
    this.files = readStoreFiles(dir, atomics);
  }

  /** An empty store: nothing loaded is known (predictions then come from the test's own text). */
  static empty(): PayloadStore {
    return new PayloadStore(undefined, undefined);
  }

  /** Opens a payloads folder (optional) and an atomics folder (optional), reading their files. Throws PayloadError on a bad index. */
  static open(dir: string | undefined, atomics: string | undefined): PayloadStore {
    const store = new PayloadStore(dir, atomics);
    if (dir) store.readIndex(dir);
    return store;
  }

  private readIndex(dir: string): void {
    const file = path.join(dir, 'index.json');
    if (!existsSync(file)) throw new PayloadError(`${file}: no index.json in the payloads folder`);
    // A link is not followed; a folder or a pipe is no index (reading a pipe would wait forever).
    if (!lstatSync(file).isFile())
      throw new PayloadError(`${file}: not a regular file (links are not followed): index.json must be a file of the payloads folder`);
    const index = this.files.get('payloads/index.json');
    if (!index || !('bytes' in index)) throw new PayloadError(`${file}: could not be read as text of at most 16 MB`);
    const bytes = index.bytes;
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      throw new PayloadError(`${file}: ${(error as Error).message}`);
    }
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success)
      throw new PayloadError(`${file}: invalid index\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
    const { modules, skipped: _s, unresolved: _u, ...urls } = parsed.data;
    for (const [url, entry] of Object.entries(urls)) if (typeof entry === 'object' && 'file' in entry) this.urls.set(url, entry.file);
    for (const [name, m] of Object.entries(modules ?? {})) {
      // The module manifest (.psd1) is data, not run: the loader (.psm1) and the scripts it dot-sources are.
      const files = m.files.map((f) => f.file).filter((f) => !/\.psd1$/i.test(f));
      files.sort((a, b) => Number(/\.psm1$/i.test(b)) - Number(/\.psm1$/i.test(a)) || (a < b ? -1 : a > b ? 1 : 0));
      this.modules.set(name.toLowerCase(), { name, files });
      for (const fn of Object.keys(m.functions)) this.functions.set(fn.toLowerCase(), name);
    }
  }

  get hasIndex(): boolean {
    return this.dir !== undefined;
  }

  /** The text a URL returns, or undefined when the store does not hold it. */
  url(url: string): Payload | undefined {
    const file = this.urls.get(url) ?? this.urls.get(url.replace(/[.,;]+$/, ''));
    return file === undefined ? undefined : this.read(`payloads/${file}`, this.payloadName(file));
  }

  /** A file of the atomics folder by its path below it (`T1234/src/x.ps1`, any case and slash). */
  atomicsFile(relative: string): Payload | undefined {
    // By lower-cased path (Windows paths in the tests' commands).
    this.atomicsFiles ??= new Map([...this.files.keys()].filter((name) => name.startsWith('atomics/')).map((name) => [name.slice(8).toLowerCase(), name]));
    const key = relative.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase();
    const name = this.atomicsFiles.get(key);
    return name === undefined ? undefined : this.read(name, name);
  }

  /** The installed module exporting a function (`Invoke-ATHMSBuild` → AtomicTestHarnesses). */
  moduleOf(command: string): string | undefined {
    return this.functions.get(command.toLowerCase());
  }

  /** An installed module's files as its loader runs them; undefined when not in the store. */
  module(name: string): InstalledModule | undefined {
    const m = this.modules.get(name.toLowerCase());
    if (!m) return undefined;
    const files = m.files.map((f) => this.read(`payloads/${f}`, this.payloadName(f))).filter((p): p is Payload => p !== undefined);
    return { name: m.name, files };
  }

  /** The store name of a file the index names (a path below the payloads folder), or undefined when it leads out of it. */
  private payloadName(file: string): string | undefined {
    const root = path.resolve(this.dir!);
    const rel = path.relative(root, path.resolve(root, file));
    if (!rel || rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return undefined;
    return `payloads/${rel.split(path.sep).join('/')}`;
  }

  /** The payload `shown` (the name a reader sees) of the store file `name`, decoded once. */
  private read(shown: string, name: string | undefined): Payload | undefined {
    const cached = this.texts.get(shown);
    if (cached !== undefined) return cached ?? undefined;
    const file = name === undefined ? undefined : this.files.get(name);
    const bytes = !file ? undefined : 'bytes' in file ? file.bytes : readBinaryAgain(file);
    const payload = bytes ? { text: decodeText(bytes), file: shown, derived: {} } : null;
    this.texts.set(shown, payload);
    return payload ?? undefined;
  }
}

/**
 * A file the store may serve, as read when it opened: a text's bytes; a binary's (a NUL byte, no
 * UTF-16 mark: an executable of a technique's `bin/`) SHA-256 only, so that tens of MB of programs
 * are not held through the predictions, its bytes read again if ever asked for and served only if
 * the same; null when it cannot be read or is larger than MAX_PAYLOAD_BYTES, or for a folder that
 * could not be listed (its name ends with `/`).
 */
export type StoreFile = { bytes: Buffer } | { sha256: string; path: string; real: string } | null;

/**
 * The files a store of `dir` (payloads) and `atomics` may serve, read: the regular files below the
 * payloads folder and the atomics folder's `src/` and `bin/` files (atomicsStoreFiles), reached
 * through no link. A file is opened without following a link and read from that one descriptor, and
 * the descriptor's path must be the file's real path below the folder's: a folder swapped for a link
 * after the listing is not followed either. (A name that is not UTF-8 lists as another name, which
 * cannot be opened: null.)
 */
function readStoreFiles(dir: string | undefined, atomics: string | undefined): Map<string, StoreFile> {
  const files = new Map<string, StoreFile>();
  const add = (prefix: string, root: string, rels: string[]) => {
    let real: string;
    try {
      real = realpathSync(root);
    } catch {
      return; // removed meanwhile: nothing to serve
    }
    for (const rel of rels) files.set(`${prefix}/${rel}`, rel.endsWith('/') ? null : storeFile(path.join(root, rel), path.join(real, rel)));
  };
  // A payloads folder that is none is reported by the index's check (PayloadStore.open).
  if (dir && statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    add(
      'payloads',
      dir,
      listFilesUnder(dir, true, (folder) => void files.set(`payloads/${folder}/`, null)),
    );
  if (atomics && existsSync(atomics)) add('atomics', atomics, atomicsStoreFiles(atomics));
  return files;
}

function storeFile(file: string, real: string): StoreFile {
  const bytes = readRegularFile(file, real);
  if (!bytes) return null;
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16 || !bytes.subarray(0, 8000).includes(0)) return { bytes };
  return { sha256: createHash('sha256').update(bytes).digest('hex'), path: file, real };
}

/** A binary's bytes read again, when they are still those hashed when the store opened. */
function readBinaryAgain(file: { sha256: string; path: string; real: string }): Buffer | undefined {
  const bytes = readRegularFile(file.path, file.real);
  return bytes && createHash('sha256').update(bytes).digest('hex') === file.sha256 ? bytes : undefined;
}

/** Whether the system names an open file's path (/proc): the descriptor's path is then compared, elsewhere the folder's real path, before opening. */
const DESCRIPTOR_PATHS = existsSync('/proc/self/fd');

/** The bytes of `file` if it is a regular file of at most MAX_PAYLOAD_BYTES whose real path is `real`, reached through no link. */
function readRegularFile(file: string, real: string): Buffer | null {
  if (!DESCRIPTOR_PATHS && !sameRealFolder(file, real)) return null;
  let fd: number;
  try {
    // Non-blocking: a pipe put in the file's place is not waited on (it is no regular file, and not read).
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (DESCRIPTOR_PATHS && readlinkSync(`/proc/self/fd/${fd}`) !== real) return null;
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_PAYLOAD_BYTES) return null;
    const bytes = readFileSync(fd);
    return bytes.length <= MAX_PAYLOAD_BYTES ? bytes : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function sameRealFolder(file: string, real: string): boolean {
  try {
    return realpathSync(path.dirname(file)) === path.dirname(real);
  } catch {
    return false;
  }
}

/** UTF-16 with a byte-order mark (two corpus files) or UTF-8; the BOM is not part of the script. */
function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `Txxxx/src/**` and `Txxxx/bin/**` below the atomics folder: what the store may read, and what the
 * predictions cache hashes (cache/predictions.ts payloadsHash). A linked technique, `src/` or `bin/`
 * folder is not entered, as no linked folder is (the Atomic loader reports the link), and a file
 * named so is no folder.
 */
export function atomicsStoreFiles(atomics: string): string[] {
  const files: string[] = [];
  if (!existsSync(atomics)) return files;
  for (const technique of readdirSync(atomics, { withFileTypes: true })) {
    if (!technique.isDirectory()) continue;
    for (const sub of ['src', 'bin']) {
      const dir = path.join(atomics, technique.name, sub);
      if (!lstatSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      // A folder that cannot be listed is named with a final `/` (the store serves nothing of it).
      for (const file of listFilesUnder(dir, true, (folder) => files.push(`${technique.name}/${sub}/${folder ? `${folder}/` : ''}`)))
        files.push(`${technique.name}/${sub}/${file}`);
    }
  }
  return files;
}
