/**
 * Hands Pagefind the search record of each page while Astro is still writing the site, instead
 * of reading every page back from disk afterwards (≈4 s) and only then indexing (≈6.5 s more).
 *
 * Pagefind numbers pages in the order it receives them, and the numbers are in the bundle, so the
 * order must not depend on which pages this build rendered: it is Astro's own generation order
 * (`plan`, from the prerenderer's getStaticPaths), whatever arrives first. A page's record comes
 * from its rendered HTML (`rendered`), or, when the page is keyed and its record under the same
 * key is in the record cache (cache/search-records.ts, kept per site code), from there at once:
 * for the same site code, equal keys mean equal pages (site/cache-keys.ts), whether the page is
 * then taken from the page cache or rendered. The feed sends
 * records in plan order as soon as every earlier page is known; a page neither rendered nor
 * cached (taken from the page cache, record cache lost) waits for `finish`, which reads it from the output.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from './html.ts';
import { searchRecordHtml } from './search-record.ts';

/** One page Astro will write, in its generation order. */
export interface PlannedPage {
  /** The page's path without the base, e.g. `/rules/foo/` (normalised by `pageUrl`). */
  url: string;
  /** Its Astro cacheKey, when keyed. */
  cacheKey?: string;
}

/** A page's search record as Pagefind is given it. */
export interface SearchRecord {
  url: string;
  content: string;
}

/** A record-cache entry: the key it was made under, and the record (null: the page is not indexed). */
export interface CachedRecord {
  key: string;
  record: string | null;
}

/** `/a/b` and `a/b/` → `/a/b/`; `/` stays `/`. */
export function pageUrl(pathname: string): string {
  const trimmed = pathname.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

export class SearchFeed {
  /** URL → record (null: not indexed); absent while unknown. */
  private readonly records = new Map<string, string | null>();
  /** URL → the record-cache key of its page, for keyed pages. */
  private readonly keys = new Map<string, string>();
  private order: string[] = [];
  private cursor = 0;
  private readonly sent: SearchRecord[] = [];

  /**
   * @param send hands one record to Pagefind (called in plan order, once per indexed page)
   * @param terms extra search text of a page (a rule's indicator values), by URL
   * @param cache the previous builds' records, by URL
   */
  constructor(
    private readonly send: (record: SearchRecord) => void,
    private readonly terms: ReadonlyMap<string, string> = new Map(),
    private readonly cache: ReadonlyMap<string, CachedRecord> = new Map(),
  ) {}

  /** The pages Astro will write, in its order (a URL listed twice counts once, as in Astro). */
  plan(pages: readonly PlannedPage[]): void {
    const seen = new Set<string>();
    this.order = [];
    for (const page of pages) {
      if (seen.has(page.url)) continue;
      seen.add(page.url);
      this.order.push(page.url);
      if (page.cacheKey === undefined) continue;
      const key = this.recordKey(page.url, page.cacheKey);
      this.keys.set(page.url, key);
      const cached = this.cache.get(page.url);
      if (cached?.key === key && !this.records.has(page.url)) this.records.set(page.url, cached.record);
    }
    this.pump();
  }

  /** A page Astro rendered, as it will be written. */
  rendered(url: string, html: string): void {
    this.records.set(url, this.recordOf(url, html));
    this.pump();
  }

  /**
   * Resolves the pages still unknown by reading them (`read` gives a page's HTML, or undefined when
   * there is no such file) and sends what is left. Returns the records sent, in order, and how
   * many pages had to be read.
   */
  async finish(read: (url: string) => Promise<string | undefined>): Promise<{ records: SearchRecord[]; read: number }> {
    let count = 0;
    for (const url of this.order.slice(this.cursor)) {
      if (this.records.has(url)) continue;
      const html = await read(url);
      count += 1;
      this.records.set(url, html === undefined ? null : this.recordOf(url, html));
    }
    this.pump();
    return { records: this.sent, read: count };
  }

  /** What the record cache should hold after this build: every keyed page's record under its key. */
  cacheEntries(): Map<string, CachedRecord> {
    const entries = new Map<string, CachedRecord>();
    for (const [url, key] of this.keys) {
      const record = this.records.get(url);
      if (record !== undefined) entries.set(url, { key, record });
    }
    return entries;
  }

  private recordOf(url: string, html: string): string | null {
    if (!html.includes('data-pagefind-body')) return null;
    const terms = this.terms.get(url);
    return searchRecordHtml(html, terms ? `<div>${escapeHtml(terms)}</div>` : '') ?? null;
  }

  /** The page's cacheKey, and a digest of the extra search text that the page itself may not show. */
  private recordKey(url: string, cacheKey: string): string {
    const terms = this.terms.get(url);
    return terms ? `${cacheKey} ${createHash('sha1').update(terms).digest('hex')}` : cacheKey;
  }

  private pump(): void {
    while (this.cursor < this.order.length) {
      const url = this.order[this.cursor]!;
      const record = this.records.get(url);
      if (record === undefined) return;
      if (record !== null) {
        const next = { url, content: record };
        this.sent.push(next);
        this.send(next);
      }
      this.cursor += 1;
    }
  }
}
