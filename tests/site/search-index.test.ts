/**
 * scripts/search-index.ts with a stand-in for Pagefind's Node API and Astro's prerenderer: `finish`
 * tells scripts/site.ts when Pagefind begins writing its bundle (the build's other work starts
 * then), and not when an answer of Pagefind's already failed the index (the build fails anyway).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AstroPrerenderer } from 'astro';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Catalog } from '../../src/lib/catalog/types.ts';
import { writeSiteCatalog } from '../../src/lib/site/catalog.ts';
import { analyzeTrust } from '../../src/lib/trust/analyze.ts';
import { openSearch } from '../../scripts/search-index.ts';
import { fixtureCatalog } from './fixture-site.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

const events: string[] = [];
let answer: () => Promise<{ errors: string[] }> = async () => ({ errors: [] });

vi.mock('pagefind', () => ({
  createIndex: async () => ({
    errors: [],
    index: {
      addHTMLFile: () => answer(),
      writeFiles: async () => {
        events.push('writeFiles');
        return { errors: [] };
      },
      deleteIndex: async () => {},
    },
  }),
  close: async () => {},
}));

afterAll(removeTemp);
beforeEach(() => void (events.length = 0));

const PAGE = '<html lang="en"><body><main data-pagefind-body><h1>A page</h1></main></body></html>';

async function feedOnePage(): Promise<{ finish: (writing: () => void) => Promise<unknown> }> {
  const dir = tempDir('search-index');
  const catalogFile = path.join(dir, 'catalog.json');
  const catalog = JSON.parse(readFileSync(fixtureCatalog, 'utf8')) as Catalog;
  await writeSiteCatalog(catalog, analyzeTrust(catalog), catalogFile);
  const session = await openSearch(catalogFile, '/', undefined, () => {});
  const inner = {
    name: 'fake',
    getStaticPaths: async () => [{ pathname: '/a/', route: { type: 'page', component: 'src/pages/a.astro' } }],
    render: async () => new Response(PAGE, { status: 200 }),
  } as unknown as AstroPrerenderer;
  let prerenderer: AstroPrerenderer | undefined;
  const start = session.integration.hooks['astro:build:start'] as (params: unknown) => void;
  start({ setPrerenderer: (p: (inner: AstroPrerenderer) => AstroPrerenderer) => (prerenderer = p(inner)), logger: {} });
  const [page] = (await prerenderer!.getStaticPaths()) as unknown as { route: unknown }[];
  await prerenderer!.render(new Request('http://localhost/a/'), { routeData: page!.route } as never);
  const out = path.join(dir, 'out');
  mkdirSync(out);
  return { finish: (writing) => session.finish(out, writing) };
}

describe('search index: when the build is told Pagefind writes', () => {
  it('calls `writing` once, before Pagefind writes its bundle', async () => {
    answer = async () => ({ errors: [] });
    const { finish } = await feedOnePage();
    await expect(finish(() => events.push('writing'))).rejects.toThrow(/pagefind-entry\.json/); // the stand-in writes no bundle
    expect(events).toEqual(['writing', 'writeFiles']);
  });

  it('does not call `writing` when Pagefind refused a record: the build fails without starting its other work', async () => {
    answer = async () => ({ errors: ['injected'] });
    const { finish } = await feedOnePage();
    await expect(finish(() => events.push('writing'))).rejects.toThrow(/Pagefind addHTMLFile failed: injected/);
    expect(events).toEqual([]);
  });
});
