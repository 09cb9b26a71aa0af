/**
 * The page cache in the render: a wrapper around Astro's prerenderer (outside the search feed's,
 * inside the render guard's) that answers a keyed page from the page pack (src/lib/cache/page-pack.ts)
 * when the pack holds it under the same cacheKey, with this build's footer appended, instead of
 * rendering it; Astro then writes it like any page. Pages rendered are kept for the next build's
 * pack. The pages that must be rendered go first in Astro's order (site/render-order.ts): this
 * build's footer is taken from the first of them, and answers from the pack wait for it.
 *
 * Astro's own incremental build (`experimental.incrementalBuild`) was used before: it writes every
 * page twice in a cold build (the output and its cache copy, ≈13.6k more files on the full corpus),
 * copies the cached pages after existence checks, and the copies then had to be opened again for
 * their footer; it rewrites its cache folder in place, which needed a lock for builds sharing it.
 */
import type { AstroIntegration } from 'astro';
import { PagePack, writePagePack, type PackedPage } from '../src/lib/cache/page-pack.ts';
import { footerOf } from '../src/lib/site/footer.ts';
import { pagesFirst } from '../src/lib/site/render-order.ts';
import { pageUrl } from '../src/lib/site/search-feed.ts';
import { requestPathOf } from '../src/lib/site/urls.ts';
import { bodyOf, prerendererWrapper, withBody } from './prerenderer.ts';

export interface PageStore {
  integration: AstroIntegration;
  /** Keyed pages Astro was to write, and how many of them were answered from the pack. */
  counts(): { keyed: number; reused: number };
  /** Writes this build's keyed pages as the new pack (after a render that succeeded). */
  save(): Promise<void>;
}

/**
 * Opens the page pack of `dir` (the atlas cache folder) for a build whose site code has the
 * fingerprint `site`; `base` is the deployment base (ATLAS_BASE by default).
 */
export async function openPageStore(dir: string, site: string, base: string | undefined, warn: (line: string) => void): Promise<PageStore> {
  let pack = await PagePack.read(dir, site, warn);
  const requestPath = requestPathOf(base);
  const planned = new Map<string, { url: string; key?: string }>();
  /** The pages answered from the pack. */
  const stored = new Set<string>();
  /** This build's keyed pages, for the next pack. */
  const kept = new Map<string, PackedPage>();
  let keyed = 0;
  let reused = 0;
  // This build's footer: from the first rendered page that has one; undefined once every page to render is done without one.
  let toRender = 0;
  let settle: (footer: Buffer | undefined) => void = () => {};
  const footer = new Promise<Buffer | undefined>((resolve) => (settle = resolve));

  const keep = (url: string, key: string | undefined, page: Buffer) => {
    if (key === undefined) return;
    const own = footerOf(page);
    kept.set(url, { url, key, body: own ? page.subarray(0, page.length - own.length) : page, footer: own !== undefined });
  };

  const integration = prerendererWrapper('atlas:page-store', (inner) => ({
    async getStaticPaths() {
      const paths = await inner.getStaticPaths();
      // Astro renders the first route of a path, of any type, comparing paths without their trailing slash (generate.js).
      const taken = new Set<string>();
      for (const p of paths) {
        const path = p.pathname.replace(/\/+$/, '');
        if (taken.has(path)) continue;
        taken.add(path);
        if (p.route.type !== 'page') continue;
        const url = pageUrl(p.pathname);
        const request = requestPath(url);
        if (planned.has(request)) continue;
        planned.set(request, { url, key: p.cacheKey });
        if (p.cacheKey === undefined) continue;
        keyed += 1;
        if (pack.get(url, p.cacheKey)) stored.add(url);
      }
      const render = new Set([...planned.values()].map((p) => p.url).filter((url) => !stored.has(url)));
      // Nothing to render: the first page is rendered all the same, for the footer.
      if (render.size === 0 && stored.size > 0) {
        const first = planned.values().next().value!.url;
        stored.delete(first);
        render.add(first);
      }
      toRender = render.size;
      if (toRender === 0) settle(undefined);
      return pagesFirst(paths, render);
    },
    async render(request, options) {
      const page = options.routeData.type === 'page' ? planned.get(new URL(request.url).pathname) : undefined;
      if (page && stored.has(page.url)) {
        const packed = pack.get(page.url, page.key!)!;
        const own = packed.footer ? await footer : undefined;
        if (!packed.footer || own) {
          const body = own ? Buffer.concat([packed.body, own]) : Buffer.from(packed.body);
          kept.set(page.url, packed);
          reused += 1;
          return new Response(body, { status: 200, headers: { 'content-type': 'text/html' } });
        }
        // No rendered page had a footer to give: this one is rendered too.
      }
      let result;
      try {
        result = await inner.render(request, options);
      } catch (error) {
        settle(undefined); // the render ends: pages waiting for the footer are rendered (the guard answers them)
        throw error;
      }
      if (!page) return result;
      const response = result instanceof Response ? result : result.response;
      let copy = response;
      if (response.status === 200 && response.body) {
        const body = await bodyOf(response);
        const own = footerOf(body);
        if (own) settle(Buffer.from(own));
        keep(page.url, page.key, body);
        copy = withBody(response, body);
      }
      if (!stored.has(page.url) && --toRender === 0) settle(undefined);
      return result instanceof Response ? copy : { ...result, response: copy };
    },
  }));

  return {
    integration,
    counts: () => ({ keyed, reused }),
    async save() {
      try {
        await writePagePack(dir, site, [...kept.values()]);
      } finally {
        // The pages are let go (≈the keyed pages' HTML, tens of MB) before Pagefind writes its bundle.
        kept.clear();
        pack = PagePack.empty;
      }
    },
  };
}
