/**
 * What Pagefind reads of a rendered page, and nothing else: the `data-pagefind-meta` tags of the
 * head and the `data-pagefind-body` element without its `data-pagefind-ignore` parts and the
 * breadcrumbs (scripts/search-index.ts `INDEX_OPTIONS.excludeSelectors`). Indexing this record gives the same bundle,
 * byte for byte, as indexing the whole page (checked on the full corpus), but Pagefind parses
 * about a quarter of the bytes: a rule page's tables, source and links, ignored for search, are
 * most of its HTML.
 *
 * The HTML is Astro's own output: text has `<` escaped, attribute values are double-quoted (they
 * may hold `>`), and the indexed pages carry no script or style inside the body.
 */

/** One start or end tag; quoted attribute values may hold `>`. */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g;

const NONE: ReadonlyMap<string, string> = new Map();

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** One attribute: its name, and its value (quoted or not) when it has one. */
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g;

/**
 * A tag's attributes by (lower-case) name. Names and values are told apart: a value may hold any
 * text of a rule (a description that mentions `data-pagefind-body`), which must not count as an attribute.
 */
function attributesOf(attributes: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of attributes.matchAll(ATTRIBUTE)) {
    const name = m[1]!.toLowerCase();
    if (!found.has(name)) found.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return found;
}

/** Elements Pagefind is told to leave out: `data-pagefind-ignore` (any value) and the breadcrumbs. */
function ignored(attributes: ReadonlyMap<string, string>): boolean {
  return attributes.has('data-pagefind-ignore') || (attributes.get('class') ?? '').split(/\s+/).includes('crumbs');
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
    const [whole, close, rawName, rawAttributes = '', selfClosing] = m;
    const name = rawName!.toLowerCase();
    // Only the attributes asked about below are looked up; most tags have none of them.
    const wanted = !close && (name === 'html' || rawAttributes.includes('data-pagefind') || rawAttributes.includes('crumbs'));
    const attributes = wanted ? attributesOf(rawAttributes) : NONE;
    if (!body) {
      if (!close && name === 'html') language = attributes.get('lang') ?? '';
      else if (!close && name === 'meta' && m.index < head.length && attributes.has('data-pagefind-meta')) metas.push(whole);
      else if (!close && attributes.has('data-pagefind-body')) {
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
