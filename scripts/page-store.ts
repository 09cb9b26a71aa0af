/**
 * The page cache in the render: a wrapper around Astro's prerenderer (outside the search feed's,
 * inside the render guard's) that takes out of Astro's plan every keyed page the page pack
 * (src/lib/cache/page-pack.ts) holds under the same cacheKey; Astro renders and writes the others,
 * and `writeStored` then writes the stored ones where Astro would have (`pageFile`), each with this
 * build's footer, taken from a page rendered (site/footer.ts). Pages rendered are kept for the
 * next build's pack.
 *
 * Astro's own path for a page costs ≈0.5 ms of this process's one thread (a request, the
 * prerenderer's answer, its body read, an asynchronous mkdir and write): ≈7 s for the 13.5k pages
 * of a full-corpus rebuild, against ≈1.5 s written here. Astro's own incremental build
 * (`experimental.incrementalBuild`) was used before: it wrote every page twice in a cold build and
 * rewrote its cache folder in place, which needed a lock for builds sharing it.
 *
 * What this bypasses of Astro for the stored pages: its list of pages written (`addPageName`,
 * `route.distURL`), and the files themselves exist only after Astro's build. An integration's
 * `astro:build:done` hook would see the rendered pages only; the site has none (a sitemap or an
 * HTML post-processor would need to run after `writeStored`, in scripts/site.ts).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration } from 'astro';
import { PagePack, writePagePack, type PackedPage } from '../src/lib/cache/page-pack.ts';
import { eachLimit } from '../src/lib/parallel.ts';
import { footerOf } from '../src/lib/site/footer.ts';
import { pageUrl } from '../src/lib/site/search-feed.ts';
import { requestPathOf } from '../src/lib/site/urls.ts';
import { bodyOf, prerendererWrapper, withBody } from './prerenderer.ts';

/**
 * The file Astro writes a page route's HTML to, with `build.format: 'directory'`
 * (astro/dist/core/build/generate.js and common.js: the path URI-encoded, resolved against the
 * output folder as a URL, then `index.html` in it). Not for /404 and /500, which Astro writes as
 * `404.html` and `500.html`.
 */
export function pageFile(outDir: string, pathname: string): string {
  const encoded = encodeURI(pathname);
  const folder = new URL(`.${encoded.endsWith('/') ? encoded : `${encoded}/`}`, pathToFileURL(path.join(outDir, '/')));
  return fileURLToPath(new URL('./index.html', folder));
}

/**
 * Writes of stored pages in flight: in the thread pool, so the event loop stays free to feed
 * Pagefind's stdin. Synchronous writes were as fast on tmpfs, but on this machine's ext4, where
 * creating a file soon after mass deletions costs up to 10× the kernel time, they held the event loop
 * for seconds and Pagefind waited for records (6–9 s after the render, against 0.2–1.4 s).
 */
const WRITES_IN_FLIGHT = 8;

/** Paths Astro writes under another name than `<path>/index.html` (common.js STATUS_CODE_PAGES). */
const STATUS_PAGES = new Set(['/404', '/500']);

export interface PageStore {
  integration: AstroIntegration;
  /**
   * Writes the pages taken out of Astro's plan into `outDir`, Astro's output folder, once its
   * render has succeeded (it gave this build's footer). Fails when a stored page needs the footer
   * and no rendered page had one.
   */
  writeStored(outDir: string): Promise<void>;
  /** Keyed pages Astro was to write, and how many of them were taken from the pack. */
  counts(): { keyed: number; reused: number };
  /** Writes this build's keyed pages as the new pack (after a render that succeeded). */
  save(): Promise<void>;
}

/** A page of Astro's plan, as Astro asked for it. */
interface Planned {
  url: string;
  pathname: string;
  key?: string;
}

/**
 * Opens the page pack of `dir` (the atlas cache folder) for a build whose site code has the
 * fingerprint `site`; `base` is the deployment base (ATLAS_BASE by default).
 */
export async function openPageStore(dir: string, site: string, base: string | undefined, warn: (line: string) => void): Promise<PageStore> {
  let pack = await PagePack.read(dir, site, warn);
  const requestPath = requestPathOf(base);
  const planned = new Map<string, Planned>();
  /** The pages taken out of Astro's plan, to be written from the pack, in plan order. */
  const stored: (Planned & { key: string })[] = [];
  /** This build's keyed pages, for the next pack. */
  const kept = new Map<string, PackedPage>();
  let keyed = 0;
  let reused = 0;
  /** This build's footer: from the first rendered page that has one. */
  let footer: Buffer | undefined;

  // Astro's public folder (astro:config:done): a page whose file is there is not written by Astro (generate.js checkPublicConflict).
  let publicDir: string | undefined;
  const wrapper = prerendererWrapper('atlas:page-store', (inner) => ({
    async getStaticPaths() {
      const paths = await inner.getStaticPaths();
      // Astro renders the first route of a path, of any type, comparing paths without their trailing slash (generate.js).
      const taken = new Set<string>();
      const storedPaths = new Set<string>();
      for (const p of paths) {
        const normal = p.pathname.replace(/\/+$/, '');
        if (taken.has(normal)) continue;
        taken.add(normal);
        if (p.route.type !== 'page') continue;
        const url = pageUrl(p.pathname);
        const request = requestPath(url);
        if (planned.has(request)) continue;
        const page = { url, pathname: p.pathname, key: p.cacheKey };
        planned.set(request, page);
        if (p.cacheKey === undefined) continue;
        keyed += 1;
        // A page with a file of the same path in public/ is left to Astro, which skips it with a warning.
        if (!STATUS_PAGES.has(normal) && pack.get(url, p.cacheKey) && !(publicDir && existsSync(pageFile(publicDir, p.pathname)))) {
          stored.push({ ...page, key: p.cacheKey });
          storedPaths.add(normal);
        }
      }
      // Nothing left to render: a stored page that had the footer is rendered all the same, to give it.
      if (stored.length === planned.size) {
        const first = stored.findIndex((p) => pack.get(p.url, p.key)!.footer);
        if (first >= 0) storedPaths.delete(stored.splice(first, 1)[0]!.pathname.replace(/\/+$/, ''));
      }
      return paths.filter((p) => !storedPaths.has(p.pathname.replace(/\/+$/, '')));
    },
    async render(request, options) {
      const result = await inner.render(request, options);
      const page = options.routeData.type === 'page' ? planned.get(new URL(request.url).pathname) : undefined;
      if (!page) return result;
      const response = result instanceof Response ? result : result.response;
      if (response.status !== 200 || !response.body) return result;
      const body = await bodyOf(response);
      const own = footerOf(body);
      footer ??= own && Buffer.from(own);
      if (page.key !== undefined)
        kept.set(page.url, { url: page.url, key: page.key, body: own ? body.subarray(0, body.length - own.length) : body, footer: own !== undefined });
      const copy = withBody(response, body);
      return result instanceof Response ? copy : { ...result, response: copy };
    },
  }));
  const integration: AstroIntegration = {
    ...wrapper,
    hooks: {
      ...wrapper.hooks,
      'astro:config:done': ({ config }) => {
        publicDir = fileURLToPath(config.publicDir);
      },
    },
  };

  return {
    integration,
    async writeStored(outDir) {
      const needs = stored.find((page) => pack.get(page.url, page.key)!.footer);
      if (needs && !footer)
        throw new Error(`internal error: no page rendered had the layout's footer, which ${needs.url} (from the page cache) needs; build with --no-cache`);
      await eachLimit(
        stored,
        async (page) => {
          const packed = pack.get(page.url, page.key)!;
          const file = pageFile(outDir, page.pathname);
          await mkdir(path.dirname(file), { recursive: true });
          // `wx`: Astro wrote nothing there (the page was taken out of its plan); a file there is a mistake, not to be overwritten.
          await writeFile(file, packed.footer ? Buffer.concat([packed.body, footer!]) : packed.body, { flag: 'wx' });
          kept.set(page.url, packed);
          reused += 1;
        },
        WRITES_IN_FLIGHT,
      );
    },
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
