import { afterAll, describe, expect, it } from 'vitest';
import * as pagefind from 'pagefind';
import { searchRecordHtml } from '../../src/lib/site/search-record.ts';

/** A page shaped like Base.astro's: meta in the head, crumbs and ignored tables inside the body. */
const PAGE = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>x · Atlas</title>
<meta data-pagefind-meta="title[content]" content="CommandLine contains ' > '"><meta data-pagefind-meta="kind[content]" content="rule">
<link rel="stylesheet" href="/a.css"></head><body><header><a href="/">Atlas</a><form><input name="q"></form></header>
<main id="main" data-pagefind-body><div hidden><span data-pagefind-filter="kind:rule"></span></div>
<nav class="crumbs"><a href="/rules/">Rules</a> › here</nav>
<h1>Suspicious Net Use</h1><p>Detects <code>net use</code> with a &lt;share&gt; &amp; more.</p>
<div class="table-wrap" data-pagefind-ignore><div><table><tr><td>ignored one</td></tr></table></div><div>ignored two</div></div>
<h2 id="why">Why</h2><p>Kept <br> after a void tag <img src="/x.svg" alt="x">.</p>
<details class="truncated" data-pagefind-ignore><summary>source</summary><pre>title: ignored three</pre></details>
<div><p>after the ignored parts</p></div></main><footer>Generated</footer></body></html>`;

describe('search record of a page', () => {
  afterAll(() => pagefind.close());

  it('keeps the meta tags and the body without ignored parts and breadcrumbs, and appends the extra text', () => {
    const record = searchRecordHtml(PAGE, '<div>net1.exe</div>')!;
    expect(record).toContain(`content="CommandLine contains ' > '"`);
    expect(record).toContain('<span data-pagefind-filter="kind:rule">');
    expect(record).toContain('<h1>Suspicious Net Use</h1>');
    expect(record).toContain('after a void tag');
    expect(record).toMatch(/after the ignored parts<\/p><\/div><div>net1\.exe<\/div><\/main><\/body><\/html>$/);
    for (const gone of ['ignored one', 'ignored two', 'ignored three', 'crumbs', 'Generated', 'a.css', '<title>']) expect(record).not.toContain(gone);
  });

  it('reads attribute names, not text inside attribute values', () => {
    // A rule's description lands in a meta tag's content; it may mention anything.
    const mentions = PAGE.replace(
      '<meta charset="utf-8">',
      '<meta charset="utf-8"><meta name="description" content="sets data-pagefind-body and data-pagefind-ignore, class=&quot;crumbs&quot;">',
    ).replace('<p>Detects', '<p title="data-pagefind-ignore crumbs">Detects');
    const record = searchRecordHtml(mentions)!;
    expect(record).toBeDefined();
    expect(record).toContain('<h1>Suspicious Net Use</h1>');
    expect(record).toContain('Detects <code>net use</code>');
    expect(record).not.toContain('name="description"');
    expect(searchRecordHtml(mentions.replace('<main id="main" data-pagefind-body>', '<main id="main">'))).toBeUndefined();
  });

  it('is undefined for a page that is not indexed', () => {
    expect(searchRecordHtml(PAGE.replace(' data-pagefind-body', ''))).toBeUndefined();
  });

  it('gives Pagefind the same bundle as the whole page', async () => {
    const bundle = async (content: string) => {
      const { index } = await pagefind.createIndex({ forceLanguage: 'en', excludeSelectors: ['.crumbs'] });
      await index!.addHTMLFile({ url: '/rules/a/', content });
      await index!.addHTMLFile({ url: '/rules/b/', content: content.replace('Suspicious Net Use', 'Other Rule') });
      const { files } = await index!.getFiles();
      await index!.deleteIndex();
      return new Map(files.map((f) => [f.path, Buffer.from(f.content).toString('base64')]));
    };
    const fromRecord = await bundle(searchRecordHtml(PAGE)!);
    const fromPage = await bundle(PAGE);
    expect([...fromRecord.keys()].sort()).toEqual([...fromPage.keys()].sort());
    for (const [file, bytes] of fromPage) expect(fromRecord.get(file), file).toBe(bytes);
  });
});
