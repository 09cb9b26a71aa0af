import { describe, expect, it } from 'vitest';
import { pageUrl, SearchFeed, type CachedRecord, type SearchRecord } from '../../src/lib/site/search-feed.ts';
import { searchRecordHtml } from '../../src/lib/site/search-record.ts';

/** A page as Astro writes it: indexed when `body` is set. */
function html(text: string, indexed = true): string {
  return `<!doctype html><html lang="en"><head><title>${text}</title></head><body><main${indexed ? ' data-pagefind-body' : ''}><h1>${text}</h1></main><footer>f</footer></body></html>`;
}

function feed(terms?: Map<string, string>, cache?: Map<string, CachedRecord>) {
  const sent: SearchRecord[] = [];
  return { sent, feed: new SearchFeed((r) => sent.push(r), terms, cache) };
}

const urls = (records: SearchRecord[]) => records.map((r) => r.url);

describe('pageUrl', () => {
  it('gives every path a leading and a trailing slash', () => {
    expect(pageUrl('/rules/a')).toBe('/rules/a/');
    expect(pageUrl('rules/a/')).toBe('/rules/a/');
    expect(pageUrl('/')).toBe('/');
    expect(pageUrl('')).toBe('/');
  });
});

describe('SearchFeed', () => {
  it('sends records in plan order, whatever order the pages are rendered in', () => {
    const { sent, feed: f } = feed();
    f.plan([{ url: '/a/' }, { url: '/b/' }, { url: '/c/' }]);
    f.rendered('/c/', html('C'));
    expect(sent).toEqual([]);
    f.rendered('/a/', html('A'));
    expect(urls(sent)).toEqual(['/a/']);
    f.rendered('/b/', html('B'));
    expect(urls(sent)).toEqual(['/a/', '/b/', '/c/']);
    expect(sent[0]!.content).toBe(searchRecordHtml(html('A')));
    expect(sent[0]!.content).not.toContain('<footer');
  });

  it('skips pages without data-pagefind-body, and counts a URL planned twice once', () => {
    const { sent, feed: f } = feed();
    f.plan([{ url: '/a/' }, { url: '/b/' }, { url: '/a/' }, { url: '/c/' }]);
    f.rendered('/a/', html('A'));
    f.rendered('/b/', html('B', false));
    f.rendered('/c/', html('C'));
    expect(urls(sent)).toEqual(['/a/', '/c/']);
  });

  it("appends a page's extra terms, escaped, to its record", () => {
    const { sent, feed: f } = feed(new Map([['/r/', 'C:\\x.exe <b>']]));
    f.plan([{ url: '/r/' }]);
    f.rendered('/r/', html('R'));
    expect(sent[0]!.content).toContain('<div>C:\\x.exe &lt;b&gt;</div></main>');
  });

  it('takes the record of a keyed page from the cache at once when its key is the same, and waits when it is not', () => {
    const first = feed(new Map([['/r/', 'hash1']]));
    first.feed.plan([{ url: '/a/', cacheKey: 'ka' }, { url: '/r/', cacheKey: 'kr' }, { url: '/n/', cacheKey: 'kn' }, { url: '/u/' }]);
    first.feed.rendered('/a/', html('A'));
    first.feed.rendered('/r/', html('R'));
    first.feed.rendered('/n/', html('N', false));
    first.feed.rendered('/u/', html('U'));
    const cache = first.feed.cacheEntries();
    // Unkeyed pages are not cached; a page that is not indexed is, as such.
    expect([...cache.keys()]).toEqual(['/a/', '/r/', '/n/']);
    expect(cache.get('/n/')!.record).toBeNull();

    // Same keys, but the rule's terms changed: its record is not taken from the cache.
    const second = feed(new Map([['/r/', 'hash2']]), cache);
    second.feed.plan([{ url: '/a/', cacheKey: 'ka' }, { url: '/r/', cacheKey: 'kr' }, { url: '/n/', cacheKey: 'kn' }, { url: '/u/' }]);
    expect(urls(second.sent)).toEqual(['/a/']);
    expect(second.sent[0]!.content).toBe(first.sent[0]!.content);
    second.feed.rendered('/r/', html('R2'));
    expect(urls(second.sent)).toEqual(['/a/', '/r/']);
    second.feed.rendered('/u/', html('U'));
    expect(urls(second.sent)).toEqual(['/a/', '/r/', '/u/']);
    expect(second.sent[1]!.content).toContain('hash2');

    // Another key: the page waits for its render.
    const third = feed(undefined, new Map([['/a/', { key: 'ka', record: 'cached A' }]]));
    third.feed.plan([{ url: '/a/', cacheKey: 'ka2' }]);
    expect(third.sent).toEqual([]);
  });

  it('reads the pages still unknown at the end, and a page with no file is not indexed', async () => {
    const { sent, feed: f } = feed();
    f.plan([{ url: '/a/' }, { url: '/b/' }, { url: '/gone/' }, { url: '/c/' }]);
    f.rendered('/c/', html('C'));
    const read: string[] = [];
    const done = await f.finish(async (url) => {
      read.push(url);
      return url === '/gone/' ? undefined : html(url);
    });
    expect(read).toEqual(['/a/', '/b/', '/gone/']);
    expect(done.read).toBe(3);
    expect(urls(sent)).toEqual(['/a/', '/b/', '/c/']);
    expect(urls(done.records)).toEqual(['/a/', '/b/', '/c/']);
  });
});
