/**
 * What Pagefind reads of a rendered page, and nothing else: the `data-pagefind-meta` tags of the
 * head and the `data-pagefind-body` element without its `data-pagefind-ignore` parts and the
 * breadcrumbs (scripts/site.ts `INDEX_OPTIONS.excludeSelectors`). Indexing this record gives the same bundle,
 * byte for byte, as indexing the whole page (checked on the full corpus), but Pagefind parses
 * about a quarter of the bytes: a rule page's tables, source and links, ignored for search, are
 * most of its HTML.
 *
 * The HTML is Astro's own output: text has `<` escaped, attribute values are double-quoted (they
 * may hold `>`), and the indexed pages carry no script or style inside the body.
 */

/** One start or end tag; quoted attribute values may hold `>`. */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** Elements Pagefind is told to leave out: `data-pagefind-ignore` (any value) and the breadcrumbs. */
function ignored(attributes: string): boolean {
  return /\sdata-pagefind-ignore(?=[\s=]|$)/.test(attributes) || /\sclass="(?:[^"]*\s)?crumbs(?:\s[^"]*)?"/.test(attributes);
}

/**
 * The indexed part of a page as a small HTML document, with `extra` (escaped HTML) appended at the
 * end of the body; undefined when the page is not indexed (no `data-pagefind-body`).
 */
export function searchRecordHtml(html: string, extra = ''): string | undefined {
  const head = html.slice(0, Math.max(0, html.indexOf('<body')));
  const metas: string[] = [];
  let language = '';
  let out = '';
  // The body element's own tag name and nesting depth, once found; `skip` the depth of an ignored element.
  let body: { name: string; depth: number; from: number } | undefined;
  let skip: { name: string; depth: number } | undefined;
  TAG.lastIndex = 0;
  for (let m = TAG.exec(html); m; m = TAG.exec(html)) {
    const [whole, close, rawName, attributes = '', selfClosing] = m;
    const name = rawName!.toLowerCase();
    if (!body) {
      if (!close && name === 'html') language = /\slang="([^"]*)"/.exec(attributes)?.[1] ?? '';
      else if (!close && name === 'meta' && m.index < head.length && /\sdata-pagefind-meta=/.test(attributes)) metas.push(whole);
      else if (!close && /\sdata-pagefind-body(?=[\s=]|$)/.test(attributes)) {
        body = { name, depth: 1, from: m.index + whole.length };
        out = whole;
      }
      continue;
    }
    const opens = !close && !selfClosing && !VOID.has(name);
    if (skip) {
      if (name === skip.name) skip.depth += close ? -1 : opens ? 1 : 0;
      if (skip.depth === 0) {
        skip = undefined;
        body.from = m.index + whole.length;
      }
      continue;
    }
    if (!close && ignored(attributes)) {
      out += html.slice(body.from, m.index);
      if (opens) skip = { name, depth: 1 };
      else body.from = m.index + whole.length;
      continue;
    }
    if (name === body.name) body.depth += close ? -1 : opens ? 1 : 0;
    if (body.depth === 0) {
      out += `${html.slice(body.from, m.index)}${extra}${whole}`;
      return `<!doctype html><html lang="${language}"><head>${metas.join('')}</head><body>${out}</body></html>`;
    }
  }
  return undefined;
}
