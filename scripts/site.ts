/**
 * Renders a catalog JSON file into the static site: Astro's programmatic build, then Pagefind's
 * Node API over the output. The pages read the catalog through ATLAS_CATALOG (src/lib/site/catalog.ts).
 */
import { cp, mkdir, mkdtemp, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroIntegration } from 'astro';
import { openPageCache, type PageCache } from '../src/lib/cache/pages.ts';
import { filesUnder } from '../src/lib/folders.ts';
import { isAlive } from '../src/lib/output/staging.ts';
import { mapLimit, settleAll } from '../src/lib/parallel.ts';
import { packageRoot } from '../src/lib/package-root.ts';
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
   * The atlas cache folder (the CLI's `--cache`). With it, Astro's incremental build keeps its
   * manifest and page copies in `<cache>/astro` and copies the pages whose cacheKey
   * (src/lib/site/cache-keys.ts) is unchanged instead of rendering them; without it every page
   * is rendered and nothing is written outside outDir. `<cache>/search` keeps the search bundle's
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
  /** With a cache: pages that carry a cacheKey, and how many of them were copied from the previous build. */
  reusedPages?: { keyed: number; reused: number };
  /** Seconds spent rendering (Astro, redirects, page cache) and indexing for search. */
  seconds?: { render: number; search?: number };
}

/**
 * The project directory (holds astro.config.mjs and src/), whatever the cwd: the parent of
 * scripts/ in a checkout, of dist-cli/scripts/ when compiled into the installed package.
 */
export const projectRoot = packageRoot;

async function countHtml(dir: string): Promise<number> {
  let n = 0;
  for await (const file of filesUnder(dir)) if (file.endsWith('.html')) n += 1;
  return n;
}

async function dirBytes(dir: string): Promise<number> {
  let n = 0;
  for await (const file of filesUnder(dir)) n += (await stat(path.join(dir, file))).size;
  return n;
}

function seconds(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)}s`;
}

/** Old file-name URLs and other forms of ids → the rules' permalinks (static pages, written after Astro's), as the trust data lists them. */
async function writeRedirectPages(catalogFile: string, outDir: string, base: string | undefined): Promise<{ written: number; skipped: number }> {
  const [{ loadCatalog }, { writeRedirects }, { normalizeBase }] = await Promise.all([
    import('../src/lib/site/catalog.ts'),
    import('../src/lib/site/redirects.ts'),
    import('../src/lib/site/urls.ts'),
  ]);
  const { trust } = loadCatalog(catalogFile);
  return writeRedirects(outDir, [...trust.redirects, ...trust.pageRedirects], normalizeBase(base ?? process.env.ATLAS_BASE));
}

async function renderPages(
  catalogFile: string,
  outDir: string,
  base: string | undefined,
  cacheDir?: string,
  integrations: AstroIntegration[] = [],
): Promise<{ written: number; skipped: number }> {
  const saved = { ATLAS_CATALOG: process.env.ATLAS_CATALOG, ATLAS_BASE: process.env.ATLAS_BASE, ATLAS_PAGE_KEYS: process.env.ATLAS_PAGE_KEYS };
  process.env.ATLAS_CATALOG = catalogFile;
  if (base !== undefined) process.env.ATLAS_BASE = base;
  // Page keys (src/lib/site/cache-keys.ts PAGE_KEYS_ENV) only for a render with a page cache: Astro ignores them otherwise.
  if (cacheDir) process.env.ATLAS_PAGE_KEYS = '1';
  else delete process.env.ATLAS_PAGE_KEYS;
  process.env.ASTRO_TELEMETRY_DISABLED = '1';
  try {
    const { build } = await import('astro');
    // Astro places some build files by the working directory (and its prerender chunks then
    // cannot find the project's packages), so build from the project, whatever the caller's cwd.
    const cwd = process.cwd();
    process.chdir(projectRoot);
    try {
      // Incremental only with a cache folder of our own (--no-cache writes nothing outside --out).
      const incremental = cacheDir ? { cacheDir, experimental: { incrementalBuild: true } } : {};
      // The first page that fails ends the render, and the build fails with it once Astro's queue is done (render-guard.ts).
      await build({ root: projectRoot, outDir, logLevel: 'warn', mode: 'production', integrations: guardRenders(integrations), ...incremental });
    } finally {
      process.chdir(cwd);
    }
    return await writeRedirectPages(catalogFile, outDir, base);
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
 * Pages copied from the page cache keep the footer of the build that rendered them, whose
 * provenance line may name an older commit: they get this build's, from its home page (src/lib/site/footer.ts).
 * Each copy is first checked against the page cache's record (`verify`, PageCache.verifyCopy): the
 * cache's page copies are checked here, where they are read anyway, not all of them before the build.
 * A page is changed in place from its footer on: rewriting whole files (truncated, then written)
 * made this step take ≈3 times as long on the full corpus after each commit.
 * Returns a problem found (the caller renders again without the cache), or undefined.
 */
async function refreshFooters(outDir: string, copied: string[], verify: (file: string, bytes: Uint8Array) => string | undefined): Promise<string | undefined> {
  if (copied.length === 0) return undefined;
  const { footerOf, footerEdit } = await import('../src/lib/site/footer.ts');
  const footer = footerOf(await readFile(path.join(outDir, 'index.html')));
  if (footer === undefined) throw new Error(`${path.join(outDir, 'index.html')} has no footer to give the pages copied from the page cache`);
  const base = pathToFileURL(outDir + path.sep);
  let problem: string | undefined;
  // Several files at a time: one after the other, each read and write waits its turn in libuv's thread pool.
  await mapLimit(copied, async (file) => {
    if (problem) return;
    const handle = await open(fileURLToPath(new URL(file, base)), 'r+');
    try {
      const bytes = await handle.readFile();
      problem ??= verify(file, bytes);
      const edit = problem ? undefined : footerEdit(bytes, footer);
      if (!edit) return;
      // A write may take part of the bytes (a full disk) without an error: written until done, or failed.
      for (let done = 0; done < footer.length;) {
        const { bytesWritten } = await handle.write(footer, done, footer.length - done, edit.at + done);
        if (bytesWritten === 0) throw new Error(`${file}: its new footer could not be written`);
        done += bytesWritten;
      }
      if (edit.length < bytes.length) await handle.truncate(edit.length);
    } finally {
      await handle.close();
    }
  });
  return problem;
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
  let pageCache: PageCache | undefined;
  let search: SearchSession | undefined;
  const cacheDir = opts.cache ? path.resolve(opts.cache) : undefined;

  try {
    let start = performance.now();
    pageCache = cacheDir ? await openPageCache(path.join(cacheDir, 'astro'), log) : undefined;
    if (pageCache)
      log(
        `site: page cache ${pageCache.reusable ? `checked (${pageCache.checked} files, ${pageCache.crcChecked} read)` : 'empty: every page is rendered'} in ${seconds(start)}`,
      );
    // Pagefind indexes the pages while Astro renders them: its process works beside this one.
    if (opts.search !== false)
      search = await openSearch(catalogFile, opts.base, cacheDir ? { dir: cacheDir, records: pageCache !== undefined } : undefined, log);
    let moved = await renderPages(catalogFile, staging, opts.base, pageCache?.dir, search ? [search.integration] : []);
    let sealed = await pageCache?.seal();
    const footersStart = performance.now();
    const damage = sealed && pageCache && (await refreshFooters(staging, sealed.files, pageCache.verifyCopy));
    if (sealed?.files.length) log(`site: ${sealed.files.length} copied pages checked and given this build's footer in ${seconds(footersStart)}`);
    if (damage && pageCache) {
      // A damaged page copy reached the output: render everything again, without it (rare; the cache is written afresh).
      await pageCache.drop(damage);
      // A fresh folder: the first render's prerender chunks stay loaded in this process under their old paths.
      await rm(staging, { recursive: true, force: true });
      staging = await mkdtemp(path.join(projectRoot, '.cache', `site-staging-${process.pid}-`));
      if (search) {
        await search.discard();
        search = await openSearch(catalogFile, opts.base, cacheDir ? { dir: cacheDir, records: true } : undefined, log);
      }
      moved = await renderPages(catalogFile, staging, opts.base, pageCache.dir, search ? [search.integration] : []);
      sealed = await pageCache.seal();
    }
    await pageCache?.release();
    pageCache = undefined;
    const reusedPages = sealed && { keyed: sealed.keyed, reused: sealed.reused };
    const render = (performance.now() - start) / 1000;
    const pages = await countHtml(staging);
    const reuse = reusedPages ? `; ${reusedPages.reused} of ${reusedPages.keyed} keyed pages copied from the page cache` : '';
    log(
      `site: rendered ${pages} pages (${moved.written} of them redirects${moved.skipped ? `, ${moved.skipped} skipped: the path is taken` : ''}${reuse}) in ${seconds(start)}`,
    );
    if (!search) {
      await opts.alongside?.();
      await publish(staging, outDir);
      return { pages, ...(reusedPages && { reusedPages }), seconds: { render } };
    }

    start = performance.now();
    // Pagefind's own time, whether or not `alongside` ends later.
    const session = search;
    const index = session.finish(staging).then((r) => ({ ...r, seconds: (performance.now() - start) / 1000 }));
    const [indexed] = await settleAll([index, Promise.resolve().then(opts.alongside)]);
    const searchSeconds = indexed.seconds;
    const searchIndexBytes = await dirBytes(path.join(staging, 'pagefind'));
    const readBack = indexed.readBack ? `; ${indexed.readBack} pages read back from the output` : '';
    const seeded = indexed.seeded !== undefined ? `, ${indexed.seeded} fragments from the search cache` : '';
    const { parse, write } = indexed.parts;
    log(
      `site: indexed ${indexed.pages} pages for search (${(searchIndexBytes / 1048576).toFixed(1)} MiB${readBack}${seeded}); ${searchSeconds.toFixed(1)}s after the render (${parse.toFixed(1)}s until Pagefind had every page, ${write.toFixed(1)}s writing its bundle)`,
    );
    await publish(staging, outDir);
    return { pages, searchIndexBytes, indexedPages: indexed.pages, ...(reusedPages && { reusedPages }), seconds: { render, search: searchSeconds } };
  } finally {
    await pageCache?.release();
    if (search) await (await import('pagefind')).close();
    // After a failure Astro may still be copying queued pages into it: retried, and never in place of the build's own error
    // (a folder left is removed by the next build, removeStaleStaging).
    await rm(staging, { recursive: true, force: true, maxRetries: 5 }).catch((error: unknown) =>
      console.warn(`site: the render folder ${staging} is left (${(error as Error).message}); the next build removes it`),
    );
  }
}
