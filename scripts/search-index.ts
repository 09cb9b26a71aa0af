/**
 * The site's search index: Pagefind's index opened before Astro renders, fed each page's search
 * record while Astro renders it (src/lib/site/search-feed.ts, through a wrapper around Astro's
 * prerenderer), and written after the render with the fragments of unchanged pages taken from the
 * search cache (src/lib/cache/search-bundle.ts). scripts/site.ts `buildSite` drives it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch } from 'node:os';
import path from 'node:path';
import type { AstroIntegration } from 'astro';
import { recordDigest, writeSearchBundle } from '../src/lib/cache/search-bundle.ts';
import { bodyOf, prerendererWrapper, withBody } from './prerenderer.ts';

/** Extra search text of each rule page (its indicator values, whole and normalised), by catalog URL. */
async function ruleSearchTerms(catalogFile: string): Promise<Map<string, string>> {
  const [{ loadCatalog }, { ruleSearchTerms: termsOf }] = await Promise.all([import('../src/lib/site/catalog.ts'), import('../src/lib/site/search.ts')]);
  return new Map(loadCatalog(catalogFile).rules.map((rule) => [rule.url, termsOf(rule)]));
}

/** Pagefind's index of the site, fed while Astro renders it (site/search-feed.ts). */
export interface SearchSession {
  /** Gives the feed Astro's page order and each rendered page (a wrapper around Astro's prerenderer). */
  integration: AstroIntegration;
  /** Indexes the pages still unknown (read from outDir), writes the bundle into `outDir/pagefind` and the record cache. */
  finish(outDir: string): Promise<{ pages: number; readBack: number; seeded?: number; whole?: boolean; parts: { parse: number; write: number } }>;
  /** Drops the index (the site is rendered again). */
  discard(): Promise<void>;
}

/**
 * Opens Pagefind's index and the feed that hands it one search record per indexed page, in
 * Astro's page order, while Astro renders. Rule pages go in with their indicator values, whole
 * and normalised, appended to the indexed copy (not to the published page: a rule with 4,000
 * hashes shows a hundred of them, yet search finds it by any). Breadcrumbs are left out of the
 * index (they made every rule excerpt start "Rules ›"), and so are the copies of other pages'
 * text (a technique page's tests in full, a rule page's indicator tables, whose values the
 * appended terms carry), which kept the index larger and the ranking noisier. Each page is given
 * to Pagefind as its search record (site/search-record.ts: only the parts Pagefind reads, a
 * quarter of the bytes, same bundle). With a cache, the records of keyed pages are kept in
 * `<cache>/search-records.json`, so pages taken from the page cache (scripts/page-store.ts) are not read back.
 */
export async function openSearch(
  catalogFile: string,
  base: string | undefined,
  cache: { dir: string; site: string } | undefined,
  log: (line: string) => void,
): Promise<SearchSession> {
  const [pagefind, { SearchFeed, pageUrl }, { readSearchRecords, writeSearchRecords }, { requestPathOf }] = await Promise.all([
    import('pagefind'),
    import('../src/lib/site/search-feed.ts'),
    import('../src/lib/cache/search-records.ts'),
    import('../src/lib/site/urls.ts'),
  ]);
  const cacheDir = cache?.dir;
  const { index, errors } = await pagefind.createIndex(INDEX_OPTIONS);
  // From here Pagefind's process runs: closed by buildSite once the session exists, here before.
  let feed: InstanceType<typeof SearchFeed>;
  let site: string | undefined;
  let cached: Awaited<ReturnType<typeof readSearchRecords>> | undefined;
  // Messages go out to Pagefind's process in call order; each answer is checked in `write`.
  const added: Promise<{ errors: string[] }>[] = [];
  try {
    failed('createIndex', errors);
    if (!index) throw new Error('Pagefind createIndex returned no index');
    site = cache?.site;
    cached = cacheDir && site ? await readSearchRecords(cacheDir, site) : undefined;
    feed = new SearchFeed(
      (record) => {
        const answer = index.addHTMLFile(record);
        answer.catch(() => {});
        added.push(answer);
      },
      await ruleSearchTerms(catalogFile),
      cached,
    );
  } catch (error) {
    await pagefind.close();
    throw error;
  }
  // A rendered page is known by its request's path (site/urls.ts requestPathOf).
  const requestPath = requestPathOf(base);
  const planned = new Map<string, string>();
  const integration = prerendererWrapper('atlas:search-feed', (inner) => ({
    async getStaticPaths() {
      const paths = await inner.getStaticPaths();
      const pages = paths.filter((p) => p.route.type === 'page');
      const plan = pages.map((p) => ({ url: pageUrl(p.pathname), cacheKey: p.cacheKey }));
      for (const page of plan) planned.set(requestPath(page.url), page.url);
      feed.plan(plan);
      return paths;
    },
    async render(request, options) {
      const result = await inner.render(request, options);
      const response = result instanceof Response ? result : result.response;
      const url = planned.get(new URL(request.url).pathname);
      // A page not in the plan, or not known by its path, is read back from the output after the render.
      if (options.routeData.type !== 'page' || url === undefined) return result;
      // A redirect (Astro writes its own page for it) or an empty page is not indexed; a 404 page is read like any other.
      if ((response.status >= 300 && response.status < 400) || !response.body) {
        feed.rendered(url, '');
        return result;
      }
      const body = await bodyOf(response);
      feed.rendered(url, body.toString('utf8'));
      const copy = withBody(response, body);
      return result instanceof Response ? copy : { ...result, response: copy };
    },
  }));
  return {
    integration,
    async finish(outDir) {
      const t0 = performance.now();
      const fed = await feed.finish((url) => readFile(path.join(outDir, url, 'index.html'), 'utf8').catch(() => undefined));
      // Pagefind's answers to every record: the end of its parsing, whatever the seeding below takes.
      let parsed: number | undefined;
      const answers = Promise.all(added).then((all) => {
        parsed = performance.now();
        return all;
      });
      answers.catch(() => {});
      let waited: number | undefined; // seconds the first write waited for Pagefind to parse the last records
      const bundle = path.join(outDir, 'pagefind');
      // With a cache, the fragments of unchanged pages are taken from the previous build (checked there:
      // cache/search-bundle.ts), while Pagefind may still be parsing the last records.
      const {
        seeded,
        whole,
        seconds: took,
      } = await writeSearchBundle({
        bundle,
        records: fed.records.map((record) => ({ url: record.url, digest: recordDigest(record) })),
        config: JSON.stringify(INDEX_OPTIONS),
        cache: cacheDir && path.join(cacheDir, 'search'),
        binary: await pagefindIdentity(),
        write: async () => {
          const asked = performance.now();
          for (const answer of await answers) failed('addHTMLFile', answer.errors);
          waited ??= (performance.now() - asked) / 1000;
          failed('writeFiles', (await index.writeFiles({ outputPath: bundle })).errors);
        },
      });
      const wrote = performance.now();
      if (whole) log(`site: search cache: the same ${seeded} search records as the cached bundle: taken whole in ${took!.seed.toFixed(2)} s`);
      else if (took)
        log(
          `site: search cache: ${seeded} fragments seeded in ${took.seed.toFixed(2)} s, written in ${(took.write - (waited ?? 0)).toFixed(2)} s, checked in ${took.check.toFixed(2)} s, saved in ${took.save.toFixed(2)} s`,
        );
      if (cacheDir && site) await writeSearchRecords(cacheDir, site, feed.cacheEntries(), cached);
      // The entry file counts the pages actually indexed.
      const entry = JSON.parse(await readFile(path.join(bundle, 'pagefind-entry.json'), 'utf8')) as {
        languages: Record<string, { page_count: number }>;
      };
      return {
        pages: Object.values(entry.languages).reduce((n, l) => n + l.page_count, 0),
        readBack: fed.read,
        seeded: cacheDir ? seeded : undefined,
        ...(whole && { whole }),
        parts: { parse: ((parsed ?? wrote) - t0) / 1000, write: (wrote - (parsed ?? wrote)) / 1000 },
      };
    },
    async discard() {
      await Promise.allSettled(added);
      await index.deleteIndex();
    },
  };
}

/**
 * What decides Pagefind's bundle besides the records and the index options, for the search cache:
 * the SHA-256 of the binary the npm package runs (found as pagefind/lib/resolveBinary.js finds it),
 * and the environment it reads (`PAGEFIND_*`: another binary, the index chunk size …). Undefined
 * when the binary cannot be found: no bundle is then taken whole.
 */
export async function pagefindIdentity(): Promise<string | undefined> {
  const env = Object.entries(process.env)
    .filter(([name]) => name.startsWith('PAGEFIND_') || name === 'npm_config_arch')
    .map(([name, value]) => `${name}=${value}`)
    .sort();
  const names = ['pagefind_extended', 'pagefind'];
  const override = names.map((name) => process.env[`${name.toUpperCase()}_BINARY_PATH`]).find(Boolean);
  const require = createRequire(import.meta.resolve('pagefind'));
  const cpu = process.env.npm_config_arch || arch();
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const candidates = override ? [override] : names.map((name) => `@pagefind/${platform}-${cpu}/bin/${platform === 'windows' ? `${name}.exe` : name}`);
  for (const candidate of candidates) {
    let file: string;
    try {
      file = override ? candidate : require.resolve(candidate);
    } catch {
      continue;
    }
    const bytes = await readFile(file).catch(() => undefined);
    if (bytes) return JSON.stringify({ binary: createHash('sha256').update(bytes).digest('hex'), env });
  }
  return undefined;
}

/** Pagefind's index options; they are part of what decides a page's fragment (the search cache compares them). */
const INDEX_OPTIONS = { forceLanguage: 'en', excludeSelectors: ['.crumbs'] };

function failed(step: string, errors: string[]): void {
  if (errors.length) throw new Error(`Pagefind ${step} failed: ${errors.join('; ')}`);
}
