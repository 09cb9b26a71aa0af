/**
 * Markdown from the inputs (ATT&CK and Atomic descriptions) to safe HTML:
 * remark-parse → remark-gfm → remark-rehype (raw HTML dropped, no allowDangerousHtml) →
 * rehype-sanitize (GitHub schema: no scripts, event handlers or javascript: URLs) → rehype-stringify.
 * ATT&CK `(Citation: Name)` markers become numbered links to a reference list the page renders.
 */
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { Link, Root } from 'mdast';
import type { SiteModel } from './model.ts';
import { link } from './urls.ts';

export interface MarkdownOptions {
  /** Prefix for citation anchors, unique per rendered block on a page. */
  idPrefix?: string;
  /** Maps an absolute URL to an internal one (e.g. attack.mitre.org technique links), or undefined. */
  rewriteLink?: (url: string) => string | undefined;
}

export interface RenderedMarkdown {
  /** Sanitized HTML, safe for `set:html`. */
  html: string;
  /** Citation names in order of first use; the marker [n] links to `#<idPrefix>cite-<n>`. */
  citations: string[];
}

const CITATION = /\(Citation: ([^)]+)\)/g;

/** Replaces citation markers with `[n]` links; returns the text and the names in order. */
export function extractCitations(markdown: string, idPrefix = ''): { text: string; citations: string[] } {
  const citations: string[] = [];
  const text = markdown.replace(CITATION, (_, raw: string) => {
    const name = raw.trim();
    let n = citations.indexOf(name) + 1;
    if (n === 0) n = citations.push(name);
    return `[\\[${n}\\]](#${idPrefix}cite-${n})`;
  });
  return { text, citations };
}

/**
 * ATT&CK writes inline code as `<code>…</code>` HTML, which the pipeline drops as raw HTML; turn
 * it into a markdown code span first (content kept verbatim, so nothing can break out of it).
 */
export function htmlCodeToMarkdown(markdown: string): string {
  return markdown.replace(/<code>([^<]*)<\/code>/gi, (_, code: string) => {
    const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
    const fence = '`'.repeat(longest + 1);
    const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
    return `${fence}${pad}${code}${pad}${fence}`;
  });
}

function rewriteLinks(rewrite: MarkdownOptions['rewriteLink']) {
  return () => (tree: Root) => {
    if (!rewrite) return;
    visit(tree, 'link', (node: Link) => {
      const internal = rewrite(node.url);
      if (internal) node.url = internal;
    });
  };
}

function processor(rewrite: MarkdownOptions['rewriteLink']) {
  return unified().use(remarkParse).use(remarkGfm).use(rewriteLinks(rewrite)).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify);
}

type Processor = ReturnType<typeof processor>;

const cache = new WeakMap<object, Processor>();
const plain = processor(undefined);

/** Converts one text with a processor; `converted` keeps what it gave before (a text converts to the same HTML every time). */
function convert(proc: Processor, markdown: string | undefined, idPrefix: string | undefined, converted?: Map<string, string>): RenderedMarkdown {
  if (!markdown?.trim()) return { html: '', citations: [] };
  const { text, citations } = extractCitations(htmlCodeToMarkdown(markdown), idPrefix);
  let html = converted?.get(text);
  if (html === undefined) {
    html = String(proc.processSync(text));
    converted?.set(text, html);
  }
  return { html, citations };
}

export function renderMarkdown(markdown: string | undefined, options: MarkdownOptions = {}): RenderedMarkdown {
  let proc = plain;
  if (options.rewriteLink) {
    proc = cache.get(options.rewriteLink) ?? processor(options.rewriteLink);
    cache.set(options.rewriteLink, proc);
  }
  return convert(proc, markdown, options.idPrefix);
}

/** Renders markdown for the pages of one site model (siteMarkdown). */
export type SiteMarkdown = (markdown: string | undefined, idPrefix?: string) => RenderedMarkdown;

const siteRenderers = new WeakMap<SiteModel, SiteMarkdown>();

/**
 * renderMarkdown for the site's pages, ATT&CK links pointing at the site's own pages: one
 * processor per site model (a processor built per call, as a new rewriteLink closure each time
 * gave, cost more than the conversion), and each text converted once (a test's description shows
 * on its own page and on its technique's). Both go with the model.
 */
export function siteMarkdown(model: SiteModel): SiteMarkdown {
  let render = siteRenderers.get(model);
  if (!render) {
    const proc = processor((url) => attackPageLink(model, url));
    const converted = new Map<string, string>();
    render = (markdown, idPrefix) => convert(proc, markdown, idPrefix, converted);
    siteRenderers.set(model, render);
  }
  return render;
}

const ATTACK_TACTIC = /^https?:\/\/attack\.mitre\.org\/tactics\/(TA\d{4})\/?$/i;

/** Tactic external id (TA0008) an attack.mitre.org tactic URL points to, if any. */
export function attackTacticFromUrl(url: string): string | undefined {
  return ATTACK_TACTIC.exec(url.trim())?.[1]?.toUpperCase();
}

const ATTACK_TECHNIQUE = /^https?:\/\/attack\.mitre\.org\/techniques\/(T\d{4})(?:[/.](\d{3}))?\/?$/i;

/** Technique id an attack.mitre.org technique URL points to (T1003 or T1003.001), if any. */
export function attackTechniqueFromUrl(url: string): string | undefined {
  const m = ATTACK_TECHNIQUE.exec(url.trim());
  if (!m) return undefined;
  return m[2] ? `${m[1]!.toUpperCase()}.${m[2]}` : m[1]!.toUpperCase();
}

/**
 * The site's own page for an attack.mitre.org technique or tactic URL, when the catalog has that
 * technique or tactic: ATT&CK links in descriptions then stay inside the site.
 */
export function attackPageLink(model: SiteModel, url: string): string | undefined {
  const id = attackTechniqueFromUrl(url);
  const technique = id ? model.technique(id) : undefined;
  if (technique) return link(technique);
  const ta = attackTacticFromUrl(url);
  const tactic = ta ? model.catalog.tactics.find((t) => t.externalId === ta) : undefined;
  return tactic ? link(tactic) : undefined;
}
