/**
 * The layout's footer (src/layouts/Base.astro) is the one part of every page that changes with each
 * commit of the rule repository: its provenance line names the commit and its date. Page cache
 * keys leave the commit out (cache-keys.ts), or every commit would make every page new; instead
 * the pages taken from the cache get this build's footer, taken from a page this build rendered
 * (scripts/page-store.ts).
 * The footer is the same on every page and ends it, so the last `<footer class="foot">` of a page
 * is the layout's own, whatever the page's content holds (which reaches it escaped, never as tags).
 */
const FOOTER = Buffer.from('<footer class="foot">');

/** The page from its footer on (footer, `</body></html>`), or undefined when it has none. */
export function footerOf(page: Buffer): Buffer | undefined {
  const at = page.lastIndexOf(FOOTER);
  return at < 0 ? undefined : page.subarray(at);
}
