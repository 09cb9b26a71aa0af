/**
 * The build cache: one file per section (`sigma.v8`, `atomics.v8`, `attack.v8`, `git.v8`, `predictions.v8`) in a
 * folder, each a V8-serialized map from an input's key to what was computed from it. A section
 * written by other code (see fingerprint.ts) or unreadable counts as empty. Entries not used by a
 * build are dropped when it saves, so a deleted input leaves nothing behind.
 *
 * A section file is a CRC-32 checksum of its payload followed by the payload (the threat is
 * damage — a disk, a killed copy, a stray write — not forgery, and CRC-32 is 3× cheaper to check): a file whose
 * checksum fails (a flipped byte, garbage, a truncated write), that cannot be decoded, or that is
 * not a file at all is dropped with one warning line, and its entries are rebuilt from the sources.
 *
 * Each entry is serialized on its own when it is set: the stored bytes are a snapshot that later
 * stages cannot alter by mutating the objects they were given, saving copies bytes rather than
 * re-serializing every entry, and an entry is only deserialized when a build asks for it.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import v8 from 'node:v8';
import { crc32 } from 'node:zlib';
import { makeFolders } from '../folders.ts';
import { codeFingerprint } from './fingerprint.ts';

export type SectionName = 'sigma' | 'atomics' | 'attack' | 'git' | 'predictions';

export class CacheSection<T> {
  private used = new Set<string>();
  private updated = 0;

  constructor(private entries: Map<string, Buffer>) {}

  /** The entry for `key`, which is kept when the cache is saved. */
  get(key: string): T | undefined {
    const bytes = this.entries.get(key);
    if (bytes === undefined) return undefined;
    this.used.add(key);
    return v8.deserialize(bytes) as T;
  }

  set(key: string, value: T): void {
    this.entries.set(key, v8.serialize(value));
    this.used.add(key);
    this.updated++;
  }

  /** Drops what this build did not use; returns the counts and whether anything changed. */
  prune(): { updated: number; dropped: number } {
    let dropped = 0;
    for (const key of this.entries.keys()) {
      if (!this.used.has(key)) {
        this.entries.delete(key);
        dropped++;
      }
    }
    return { updated: this.updated, dropped };
  }

  /** After a write: a later save (the predictions, saved after the other sections) rewrites only what changed since. */
  written(): void {
    this.updated = 0;
  }

  serialize(fingerprint: string): Buffer {
    return v8.serialize({ fingerprint, entries: this.entries });
  }
}

export interface SaveReport {
  /** Entries written or replaced by this build. */
  updated: number;
  /** Entries of inputs that are gone. */
  dropped: number;
  /** Section files rewritten. */
  written: number;
}

export class BuildCache {
  private sections = new Map<SectionName, CacheSection<unknown>>();
  /** Sections already reported damaged: one line each. */
  private damaged = new Set<SectionName>();

  private constructor(
    /** Folder of the section files; undefined for a cache that lives only in memory. */
    readonly dir: string | undefined,
    private fingerprint: string,
  ) {}

  /** A cache that starts empty and is never written: the build without `--cache`. */
  static memory(): BuildCache {
    return new BuildCache(undefined, '');
  }

  static async open(dir: string): Promise<BuildCache> {
    return new BuildCache(path.resolve(dir), await codeFingerprint());
  }

  async section<T>(name: SectionName): Promise<CacheSection<T>> {
    let section = this.sections.get(name);
    if (!section) {
      section = new CacheSection(await this.read(name));
      this.sections.set(name, section);
    }
    return section as CacheSection<T>;
  }

  private async read(name: SectionName): Promise<Map<string, Buffer>> {
    if (!this.dir) return new Map();
    const file = path.join(this.dir, `${name}.v8`);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      // Missing is the first build; anything else (a folder in its place …) is worth a line.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(name, file, (error as NodeJS.ErrnoException).code ?? 'unreadable');
      return new Map();
    }
    const entries = decodeSection(bytes, this.fingerprint);
    if (entries === 'damaged') this.warn(name, file, 'checksum mismatch or undecodable');
    return entries instanceof Map ? entries : new Map();
  }

  /** Writes the sections that changed (atomically: a crash leaves the previous file). */
  async save(): Promise<SaveReport> {
    const report: SaveReport = { updated: 0, dropped: 0, written: 0 };
    for (const [name, section] of this.sections) {
      const { updated, dropped } = section.prune();
      report.updated += updated;
      report.dropped += dropped;
      if (!this.dir || (updated === 0 && dropped === 0)) continue;
      const file = path.join(this.dir, `${name}.v8`);
      const temporary = `${file}.${process.pid}.tmp`;
      try {
        makeFolders(this.dir);
        await writeFile(temporary, encodeSection(section.serialize(this.fingerprint)));
        await rename(temporary, file);
        section.written();
        report.written++;
      } catch (error) {
        // A cache that cannot be written costs the next build time, never this build its output.
        // A damaged section that cannot be replaced says so: its damage is met again next time.
        const stays = this.damaged.has(name) ? ': the damaged file stays, and' : ';';
        console.warn(`cache: cannot write ${file} (${(error as Error).message})${stays} the next build reads its inputs again`);
        // Not tried again by a later save of this build (the predictions are saved after the rest): one warning per file.
        section.written();
      } finally {
        await rm(temporary, { force: true }).catch(() => {});
      }
    }
    return report;
  }

  private warn(name: SectionName, file: string, reason: string): void {
    this.damaged.add(name);
    console.warn(`cache: ${file} is damaged (${reason}): dropped; its entries are rebuilt from the sources`);
  }
}

const SUM_BYTES = 4;

function checksum(bytes: Buffer): Buffer {
  const sum = Buffer.alloc(SUM_BYTES);
  sum.writeUInt32BE(crc32(bytes));
  return sum;
}

/** Checksum, then payload. */
export function encodeSection(payload: Buffer): Buffer {
  return Buffer.concat([checksum(payload), payload]);
}

/**
 * A section file's entries; `stale` when it was written by other code (expected after an
 * upgrade: silently rebuilt), `damaged` when its checksum fails or it does not decode.
 */
export function decodeSection(bytes: Buffer, fingerprint: string): Map<string, Buffer> | 'stale' | 'damaged' {
  if (bytes.length < SUM_BYTES) return 'damaged';
  const payload = bytes.subarray(SUM_BYTES);
  if (!checksum(payload).equals(bytes.subarray(0, SUM_BYTES))) return 'damaged';
  try {
    const stored = v8.deserialize(payload) as { fingerprint?: unknown; entries?: unknown };
    if (stored?.fingerprint !== fingerprint) return 'stale';
    if (!(stored.entries instanceof Map) || [...stored.entries.values()].some((v) => !(v instanceof Uint8Array))) return 'damaged';
    return stored.entries as Map<string, Buffer>;
  } catch {
    return 'damaged';
  }
}
