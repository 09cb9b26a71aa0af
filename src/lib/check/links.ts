/**
 * A link checker over a built static site: every internal href/src must name a file the build
 * wrote, and every `#fragment` an id on that page. External links are only counted.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';

export interface BrokenLink {
  page: string;
  href: string;
  reason: string;
}

export interface LinkReport {
  pages: number;
  internal: number;
  external: number;
  broken: BrokenLink[];
}

const ATTRIBUTE = /\s(?:href|src)="([^"]*)"/g;
const ID = /\sid="([^"]*)"/g;

/** The file a site path is served from (pretty URLs: `/x/` → `x/index.html`). */
export function fileForPath(urlPath: string): string[] {
  const clean = decodeURIComponent(urlPath).replace(/^\/+/, '');
  if (clean === '' || clean.endsWith('/')) return [`${clean}index.html`];
  if (path.posix.extname(clean)) return [clean];
  return [`${clean}/index.html`, `${clean}.html`];
}

function decodeEntities(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"');
}

export async function checkLinks(outDir: string, options: { base?: string } = {}): Promise<LinkReport> {
  const base = options.base ?? '/';
  const files = (await fg('**/*', { cwd: outDir, onlyFiles: true, dot: true })).sort();
  const exists = new Set(files);
  const pages = files.filter((f) => f.endsWith('.html'));
  const ids = new Map<string, Set<string>>();
  const links: { page: string; href: string }[] = [];
  let external = 0;
  for (const page of pages) {
    const html = await readFile(path.join(outDir, page), 'utf8');
    ids.set(page, new Set([...html.matchAll(ID)].map((m) => decodeEntities(m[1]))));
    for (const m of html.matchAll(ATTRIBUTE)) {
      const href = decodeEntities(m[1]);
      if (/^(https?:|mailto:)/i.test(href)) external++;
      else links.push({ page, href });
    }
  }
  const broken: BrokenLink[] = [];
  for (const { page, href } of links) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href)) {
      broken.push({ page, href, reason: 'scheme not allowed' });
      continue;
    }
    const pageUrl = `/${page.replace(/index\.html$/, '')}`;
    const resolved = new URL(href, `http://site${pageUrl}`);
    let pathname = resolved.pathname;
    if (!pathname.startsWith(base)) {
      broken.push({ page, href, reason: `outside the site base ${base}` });
      continue;
    }
    pathname = `/${pathname.slice(base.length)}`;
    const target = fileForPath(pathname).find((f) => exists.has(f));
    if (!target) {
      broken.push({ page, href, reason: 'no such page or file' });
      continue;
    }
    const fragment = decodeURIComponent(resolved.hash.slice(1));
    if (fragment && target.endsWith('.html') && !ids.get(target)?.has(fragment)) {
      broken.push({ page, href, reason: `no element with id "${fragment}"` });
    }
  }
  return { pages: pages.length, internal: links.length, external, broken };
}
