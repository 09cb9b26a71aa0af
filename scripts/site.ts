/**
 * Renders a catalog JSON file into the static site: Astro's programmatic build, then Pagefind's
 * Node API over the output. The pages read the catalog through ATLAS_CATALOG (src/lib/site/catalog.ts).
 */
import { statSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AstroIntegration } from 'astro';
import { siteFingerprint } from '../src/lib/cache/fingerprint.ts';
import { filesUnder } from '../src/lib/folders.ts';
import { isAlive } from '../src/lib/output/staging.ts';
import { settleAll } from '../src/lib/parallel.ts';
import { packageRoot } from '../src/lib/package-root.ts';
import { openPageStore, type PageStore } from './page-store.ts';
import { guardRenders } from './render-guard.ts';
import { openSearch, type SearchSession } from './search-index.ts';

export interface BuildSiteOptions {
  /** The site's data file: the catalog with its trust data (type SiteCatalog, written by writeSiteCatalog). */
  catalogFile: string;
  /**
   * Output directory (the CLI passes its staging folder). The site's entries (index.html, rules/,
   * pagefind/ …) are added; anything already there is kept, and an entry of the same name is an error.
   */
  outDir: string;
  /** Deployment base path, e.g. `/sigma/` for a project page. Default `/`. */
  base?: string;
  /** Progress lines. */
  log?: (line: string) => void;
  /** Skip the Pagefind index (faster, for tests that do not search). */
  search?: boolean;
  /**
   * The atlas cache folder (the CLI's `--cache`). With it, `<cache>/pages.pack` keeps every keyed
   * page, and a page whose cacheKey (src/lib/site/cache-keys.ts) is unchanged is taken from there
   * instead of rendered (scripts/page-store.ts); without it every page is rendered and nothing is
   * written outside outDir. `<cache>/search` keeps the search bundle's
   * fragments (src/lib/cache/search-bundle.ts): those of unchanged pages are not written again.
   */
  cache?: string;
  /**
   * Work run while Pagefind indexes the pages, which leaves this process mostly waiting on
   * Pagefind's (the CLI writes api/ and the exports here): started once the pages are rendered,
   * settled before buildSite returns or throws. Its failure fails the site, and nothing is published.
   */
  alongside?: () => Promise<unknown>;
}

export interface BuildSiteResult {
  /** HTML pages written. */
  pages: number;
  /** Size of the Pagefind bundle (`pagefind/`) in bytes, when indexed. */
  searchIndexBytes?: number;
  /** Pages Pagefind indexed. */
  indexedPages?: number;
  /** With a cache: pages that carry a cacheKey, and how many of them were taken from the page cache (scripts/page-store.ts). */
  reusedPages?: { keyed: number; reused: number };
  /** Seconds of Astro's render (pages from the page cache included), and of the search index after it (the redirect pages are written meanwhile). */
  seconds?: { render: number; search?: number };
}

/**
 * The project directory (holds astro.config.mjs and src/), whatever the cwd: the parent of
 * scripts/ in a checkout, of dist-cli/scripts/ when compiled into the installed package.
 */
export const projectRoot = packageRoot;

/** HTML files below `dir`, but for its folder `skip` (being written meanwhile: not entered). */
async function countHtml(dir: string, skip: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name !== skip) for await (const file of filesUnder(path.join(dir, entry.name))) if (file.endsWith('.html')) n += 1;
    } else if (entry.name.endsWith('.html')) n += 1;
  }
  return n;
}

/** Bytes of the files below `dir`. A synchronous stat each: one thread-pool round trip per file made it ≈1 s for the search bundle's 13k. */
async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const file of filesUnder(dir)) n += statSync(path.join(dir, file)).size;
  return n;
}

function seconds(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)}s`;
}

/**
 * Old file-name URLs and other forms of ids → the rules' permalinks, as the trust data lists them:
 * static pages written after Astro's (a path Astro wrote is skipped). Read while the render still
 * holds the catalog; the pages are written by the returned function.
 */
async function redirectPages(catalogFile: string, base: string | undefined): Promise<(outDir: string) => Promise<{ written: number; skipped: number }>> {
  const [{ loadCatalog }, { writeRedirects }, { normalizeBase }] = await Promise.all([
    import('../src/lib/site/catalog.ts'),
    import('../src/lib/site/redirects.ts'),
    import('../src/lib/site/urls.ts'),
  ]);
  const { trust } = loadCatalog(catalogFile);
  const redirects = [...trust.redirects, ...trust.pageRedirects];
  const prefix = normalizeBase(base ?? process.env.ATLAS_BASE);
  return (outDir) => writeRedirects(outDir, redirects, prefix);
}

async function renderPages(
  catalogFile: string,
  outDir: string,
  base: string | undefined,
  keys: boolean,
  integrations: AstroIntegration[] = [],
): Promise<(outDir: string) => Promise<{ written: number; skipped: number }>> {
  const saved = { ATLAS_CATALOG: process.env.ATLAS_CATALOG, ATLAS_BASE: process.env.ATLAS_BASE, ATLAS_PAGE_KEYS: process.env.ATLAS_PAGE_KEYS };
  process.env.ATLAS_CATALOG = catalogFile;
  if (base !== undefined) process.env.ATLAS_BASE = base;
  // Page keys (src/lib/site/cache-keys.ts PAGE_KEYS_ENV) only for a render with a page cache (scripts/page-store.ts).
  if (keys) process.env.ATLAS_PAGE_KEYS = '1';
  else delete process.env.ATLAS_PAGE_KEYS;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  try {
    const { build } = await import('astro');
    // Astro places some build files by the working directory (and its prerender chunks then
    // cannot find the project's packages), so build from the project, whatever the caller's cwd.
    const cwd = process.cwd();
    process.chdir(projectRoot);
    try {
      // The first page that fails ends the render, and the build fails with it once Astro's queue is done (render-guard.ts).
      await build({ root: projectRoot, outDir, logLevel: 'warn', mode: 'production', integrations: guardRenders(integrations) });
    } finally {
      process.chdir(cwd);
    }
    return await redirectPages(catalogFile, base);
  } finally {
    // Let the parsed catalog and site model go before Pagefind writes its bundle.
    const memo = globalThis as { __atlasCatalog?: unknown; __atlasModel?: unknown };
    delete memo.__atlasCatalog;
    delete memo.__atlasModel;
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/**
 * Moves the rendered site into outDir entry by entry. Astro empties its outDir before a build,
 * so it renders into a staging folder instead, which keeps `api/` (and a catalog file written
 * inside outDir) intact. The staging folder is inside the project: Astro's prerender chunks
 * import the project's packages, which only resolve from there, whatever the cwd and outDir.
 * Nothing in outDir is removed or replaced: the CLI builds into a fresh folder of its own.
 */
async function publish(staging: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const entry of await readdir(staging)) {
    if (entry === '.prerender') continue;
    const from = path.join(staging, entry);
    const to = path.join(outDir, entry);
    if (
      await stat(to).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`${to} already exists: the site is rendered into a folder of its own`);
    try {
      await rename(from, to);
    } catch (error) {
      // Another file system (the project on one disk, --out on another): copy instead.
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
      await cp(from, to, { recursive: true });
    }
  }
  await rm(staging, { recursive: true, force: true });
}

/**
 * The page cache of versions before the page pack: Astro's incremental-build folder `<cache>/astro`
 * (its manifest, a CRC record, `dist/` with a copy of every page), no longer read, is removed once.
 * Only a folder of that layout is (`--cache` is any folder, and an `astro/` holding anything else is
 * not ours), and not while an earlier version's build holds its lock (`astro.lock` beside it, fresh).
 */
async function removeOldPageCache(cacheDir: string, log: (line: string) => void): Promise<void> {
  const old = path.join(cacheDir, 'astro');
  const entries = await readdir(old).catch(() => undefined);
  if (!entries?.length || !entries.every((name) => OLD_PAGE_CACHE.has(name))) return;
  const lock = await stat(path.join(cacheDir, 'astro.lock')).catch(() => undefined);
  if (lock && Date.now() - lock.mtimeMs < OLD_LOCK_STALE_MS) return;
  for (const name of await readdir(cacheDir)) if (/^astro\.lock(?:\..*)?$/.test(name)) await rm(path.join(cacheDir, name), { force: true });
  await rm(old, { recursive: true, force: true });
  log(`cache: removed ${old}, the page cache of earlier versions (pages are now kept in ${path.join(cacheDir, 'pages.pack')})`);
}

/** What earlier versions kept in `<cache>/astro` (Astro's incremental build and atlas's record of it). */
const OLD_PAGE_CACHE = new Set(['incremental-build.json', 'atlas-check.json', 'dist']);
/** Their lock was taken over after 6 hours. */
const OLD_LOCK_STALE_MS = 6 * 3600_000;

/** Render folders of builds that were killed (named by their process id, which is gone). */
async function removeStaleStaging(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    const pid = /^site-staging-(\d+)-\w{6}$/.exec(name)?.[1];
    if (pid && !isAlive(Number(pid))) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

export async function buildSite(opts: BuildSiteOptions): Promise<BuildSiteResult> {
  const { baseProblem } = await import('../src/lib/site/urls.ts');
  const badBase = baseProblem(opts.base ?? process.env.ATLAS_BASE);
  if (badBase) throw new Error(badBase);
  const log = opts.log ?? (() => {});
  const catalogFile = path.resolve(opts.catalogFile);
  const outDir = path.resolve(opts.outDir);
  await mkdir(path.join(projectRoot, '.cache'), { recursive: true });
  await removeStaleStaging(path.join(projectRoot, '.cache'));
  let staging = await mkdtemp(path.join(projectRoot, '.cache', `site-staging-${process.pid}-`));
  let search: SearchSession | undefined;
  const cacheDir = opts.cache ? path.resolve(opts.cache) : undefined;

  try {
    let start = performance.now();
    const site = cacheDir ? await siteFingerprint() : undefined;
    let pageStore: PageStore | undefined;
    // The page cache is read (and checked) while the search session opens. Pagefind indexes the pages while
    // Astro renders them: its process works beside this one (`search` is set as soon as it runs, to be closed).
    await settleAll([
      cacheDir && site
        ? removeOldPageCache(cacheDir, log)
            .then(() => openPageStore(cacheDir, site, opts.base, (line) => console.warn(line)))
            .then((store) => {
              pageStore = store;
              log(`site: page cache read in ${seconds(start)}`);
            })
        : undefined,
      opts.search !== false
        ? openSearch(catalogFile, opts.base, cacheDir && site ? { dir: cacheDir, site } : undefined, log).then((s) => (search = s))
        : undefined,
    ]);
    // The page store's wrapper goes around the search feed's: pages it answers from the cache are not parsed for search again.
    const integrations = [...(search ? [search.integration] : []), ...(pageStore ? [pageStore.integration] : [])];
    const writeRedirects = await renderPages(catalogFile, staging, opts.base, pageStore !== undefined, integrations);
    const reusedPages = pageStore?.counts();
    // The next build's page cache; a render that failed leaves the previous one.
    const savePages = pageStore
      ?.save()
      .catch((error: unknown) => console.warn(`cache: the page cache could not be written (${(error as Error).message}); the previous one is kept`));
    const render = (performance.now() - start) / 1000;
    // Redirect pages are not indexed for search: they are written (and the pages counted) while Pagefind indexes.
    // Their paths are below rules/, techniques/ and indicators/, never in the search bundle's folder, and
    // never a path Astro wrote (skipped), so the pages the search feed reads back are Astro's either way.
    const renderStart = start;
    const rendered = writeRedirects(staging).then(async (moved) => {
      const pages = await countHtml(staging, 'pagefind');
      const reuse = reusedPages ? `; ${reusedPages.reused} of ${reusedPages.keyed} keyed pages taken from the page cache` : '';
      log(
        `site: rendered ${pages} pages (${moved.written} of them redirects${moved.skipped ? `, ${moved.skipped} skipped: the path is taken` : ''}${reuse}) in ${seconds(renderStart)}`,
      );
      return pages;
    });
    if (!search) {
      const [pages] = await settleAll([rendered, Promise.resolve().then(opts.alongside), savePages]);
      await publish(staging, outDir);
      return { pages, ...(reusedPages && { reusedPages }), seconds: { render } };
    }

    start = performance.now();
    // Pagefind's own time, whether or not `alongside` ends later.
    const session = search;
    const index = session.finish(staging).then((r) => ({ ...r, seconds: (performance.now() - start) / 1000 }));
    const [indexed, pages] = await settleAll([index, rendered, Promise.resolve().then(opts.alongside), savePages]);
    const searchSeconds = indexed.seconds;
    const searchIndexBytes = await dirBytes(path.join(staging, 'pagefind'));
    const readBack = indexed.readBack ? `; ${indexed.readBack} pages read back from the output` : '';
    const seeded = indexed.seeded !== undefined ? `, ${indexed.seeded} fragments from the search cache` : '';
    const { parse, write } = indexed.parts;
    const parts = indexed.whole
      ? 'the bundle taken whole from the search cache'
      : `${parse.toFixed(1)}s until Pagefind had every page, ${write.toFixed(1)}s writing its bundle`;
    log(
      `site: indexed ${indexed.pages} pages for search (${(searchIndexBytes / 1048576).toFixed(1)} MiB${readBack}${seeded}); ${searchSeconds.toFixed(1)}s after the render (${parts})`,
    );
    await publish(staging, outDir);
    return { pages, searchIndexBytes, indexedPages: indexed.pages, ...(reusedPages && { reusedPages }), seconds: { render, search: searchSeconds } };
  } finally {
    if (search) await (await import('pagefind')).close();
    // After a failure Astro may still be writing queued pages into it: retried, and never in place of the build's own error
    // (a folder left is removed by the next build, removeStaleStaging).
    await rm(staging, { recursive: true, force: true, maxRetries: 5 }).catch((error: unknown) =>
      console.warn(`site: the render folder ${staging} is left (${(error as Error).message}); the next build removes it`),
    );
  }
}
