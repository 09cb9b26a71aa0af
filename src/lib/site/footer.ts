/**
 * The layout's footer (src/layouts/Base.astro) is the one part of every page that changes with each
 * commit of the rule repository: its provenance line names the commit and its date. Page cache
 * keys leave the commit out (cache-keys.ts), or every commit would make every page new; instead
 * the pages copied from the cache get this build's footer, taken from a page this build rendered.
 * The footer is the same on every page and ends it, so the last `<footer class="foot">` of a page
 * is the layout's own, whatever the page's content holds (which reaches it escaped, never as tags).
 * Pages are handled as bytes: a copied page is rewritten in place from its footer on, not whole.
 */
const FOOTER = Buffer.from('<footer class="foot">');

/** The page from its footer on (footer, `</body></html>`), or undefined when it has none. */
export function footerOf(page: Buffer): Buffer | undefined {
  const at = page.lastIndexOf(FOOTER);
  return at < 0 ? undefined : page.subarray(at);
}

/**
 * Where `footer` goes in `page`: its byte offset (the page's own footer) and the page's length
 * after; undefined when the page has no footer or already has this one.
 */
export function footerEdit(page: Buffer, footer: Buffer): { at: number; length: number } | undefined {
  const at = page.lastIndexOf(FOOTER);
  if (at < 0 || page.subarray(at).equals(footer)) return undefined;
  return { at, length: at + footer.length };
}
