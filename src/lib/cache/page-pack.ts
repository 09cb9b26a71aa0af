/**
 * The page cache (`<atlas cache>/pages.pack`): every keyed page of the last build, in one file.
 * A page is kept without its footer (the one part that changes with each commit, site/footer.ts),
 * under its URL and cacheKey (site/cache-keys.ts): for the same site code, a page with the same key
 * is the same page but for the footer, which the build that takes it from here appends afresh.
 *
 * One file, written whole to a temporary name and renamed over the old one, and read whole: two
 * builds sharing a cache each read a complete pack and leave one (the last rename wins), so no lock
 * is needed; a killed build leaves at most its temporary file, removed by a later save. The first
 * line holds the format version, the fingerprint of the site code that rendered the pages
 * (cache/fingerprint.ts `siteFingerprint`) and the SHA-256 of the rest: a pack written by other
 * site code is ignored, and a damaged or cut one is ignored with a warning (every page is then
 * rendered and the pack written afresh). The rest is a JSON line indexing the pages
 * (`[url, key, length, footer]`, in URL order) and their bytes, one after the other.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isAlive } from '../output/staging.ts';
import { compareStrings } from '../order.ts';

const VERSION = 1;
const FILE = 'pages.pack';
/**
 * A temporary file of a save (`pages.pack.<host>.<pid>-<nonce>.tmp`), left only by a build that was
 * killed: removed by a save on the same host once its process is gone (another host's, a day old).
 */
const TEMP = /^pages\.pack\.(.+)\.(\d+)-[0-9a-f]{16}\.tmp$/;
const FOREIGN_TEMP_MS = 24 * 3600_000;

/** One page as kept: its bytes up to its footer (the whole page when `footer` is false). */
export interface PackedPage {
  url: string;
  key: string;
  body: Uint8Array;
  /** Whether the page ended with the layout's footer, cut off here. */
  footer: boolean;
}

const Header = z.object({ version: z.number(), site: z.string(), sha256: z.string() });
const Index = z.array(z.tuple([z.string(), z.string(), z.number().int().nonnegative(), z.boolean()]));

/** The pages of the last build, as read from the pack. */
export class PagePack {
  private constructor(private readonly pages: ReadonlyMap<string, PackedPage>) {}

  static readonly empty = new PagePack(new Map());

  /** The page kept for `url` under `key`, or undefined. */
  get(url: string, key: string): PackedPage | undefined {
    const page = this.pages.get(url);
    return page?.key === key ? page : undefined;
  }

  get size(): number {
    return this.pages.size;
  }

  /** URL → key of every page kept. */
  keys(): Map<string, string> {
    return new Map([...this.pages].map(([url, page]) => [url, page.key]));
  }

  /**
   * Reads `<dir>/pages.pack`: empty when there is none or it was written by other site code (`site`),
   * empty with a warning when it is damaged.
   */
  static async read(dir: string, site: string, warn: (line: string) => void): Promise<PagePack> {
    const file = path.join(dir, FILE);
    const damaged = (why: string) => {
      warn(`cache: ${file} is damaged (${why}): not used; every page is rendered and the pack written afresh`);
      return PagePack.empty;
    };
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'ENOENT' ? PagePack.empty : damaged(`it cannot be read: ${code ?? (error as Error).message}`);
    }
    const first = bytes.indexOf(10);
    if (first < 0) return damaged('no header');
    let header: z.infer<typeof Header>;
    try {
      header = Header.parse(JSON.parse(bytes.subarray(0, first).toString('utf8')));
    } catch {
      return damaged('no header');
    }
    if (header.version !== VERSION || header.site !== site) return PagePack.empty;
    const rest = bytes.subarray(first + 1);
    if (createHash('sha256').update(rest).digest('hex') !== header.sha256) return damaged('its content does not match its SHA-256');
    const second = rest.indexOf(10);
    let index: z.infer<typeof Index>;
    try {
      index = Index.parse(JSON.parse(rest.subarray(0, Math.max(0, second)).toString('utf8')));
    } catch {
      return damaged('no index');
    }
    const pages = new Map<string, PackedPage>();
    let at = second + 1;
    for (const [url, key, length, footer] of index) {
      pages.set(url, { url, key, body: rest.subarray(at, at + length), footer });
      at += length;
    }
    if (at !== rest.length) return damaged('its index does not cover its bytes');
    return new PagePack(pages);
  }
}

/** Replaces `<dir>/pages.pack` with `pages` (written aside, then renamed into place); removes what killed saves left. */
export async function writePagePack(dir: string, site: string, pages: readonly PackedPage[]): Promise<void> {
  const sorted = [...pages].sort((a, b) => compareStrings(a.url, b.url));
  const index = Buffer.from(`${JSON.stringify(sorted.map((p) => [p.url, p.key, p.body.length, p.footer]))}\n`);
  const hash = createHash('sha256').update(index);
  for (const page of sorted) hash.update(page.body);
  const header = Buffer.from(`${JSON.stringify({ version: VERSION, site, sha256: hash.digest('hex') })}\n`);
  const host = hostname().replace(/[^\w-]/g, '_');
  for (const name of await readdir(dir).catch(() => [])) {
    const [, from, pid] = TEMP.exec(name) ?? [];
    if (!from || !pid) continue;
    const file = path.join(dir, name);
    const dead = from === host ? !isAlive(Number(pid)) : Date.now() - ((await stat(file).catch(() => undefined))?.mtimeMs ?? Date.now()) > FOREIGN_TEMP_MS;
    if (dead) await rm(file, { force: true });
  }
  const temp = path.join(dir, `${FILE}.${host}.${process.pid}-${randomBytes(8).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'w');
    // In batches (writev takes at most IOV_MAX, 1,024, buffers at a time); a write that takes part of the bytes
    // (a full disk) without an error fails the save rather than leaving a cut pack.
    const write = async (buffers: Uint8Array[]) => {
      const want = buffers.reduce((n, b) => n + b.length, 0);
      const { bytesWritten } = await handle.writev(buffers);
      if (bytesWritten !== want) throw new Error(`${temp}: ${bytesWritten} of ${want} bytes written`);
    };
    try {
      await write([header, index]);
      for (let i = 0; i < sorted.length; i += 1024) await write(sorted.slice(i, i + 1024).map((p) => p.body));
    } finally {
      await handle.close();
    }
    await rename(temp, path.join(dir, FILE));
  } finally {
    await rm(temp, { force: true });
  }
}
