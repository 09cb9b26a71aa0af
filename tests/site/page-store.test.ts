/**
 * scripts/page-store.ts inside scripts/render-guard.ts, as scripts/site.ts composes them, driven by
 * a fake prerenderer and a loop that generates as Astro's generate.js does (the first route of a
 * path wins, paths compared without their trailing slash; four renders at a time, in order; the
 * teardown at the end): pages are answered from the pack with this build's footer, and no case
 * waits forever for a footer.
 */
import path from 'node:path';
import type { AstroPrerenderer } from 'astro';
import { afterAll, describe, expect, it } from 'vitest';
import { writePagePack } from '../../src/lib/cache/page-pack.ts';
import { openPageStore } from '../../scripts/page-store.ts';
import { guardRenders } from '../../scripts/render-guard.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

type Path = { pathname: string; route: { type: string; component: string }; cacheKey?: string };
const NEW = '<footer class="foot">NEW</footer></body></html>';
const page = (component = 'src/pages/p.astro') => ({ type: 'page', component });
const rendered = (p: string) => new Response(`<p>${p} rendered</p>${NEW}`, { status: 200 });

async function generate(paths: Path[], stored: [string, string][], answer: (pathname: string) => Response | 'throw') {
  const dir = tempDir('page-store');
  await writePagePack(
    dir,
    'site',
    stored.map(([url, key]) => ({ url, key, body: Buffer.from(`<p>${url} stored</p>`), footer: true })),
  );
  const store = await openPageStore(dir, 'site', '/', () => {});
  const inner = {
    name: 'fake',
    getStaticPaths: async () => paths,
    async render(request: Request) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const response = answer(new URL(request.url).pathname);
      if (response === 'throw') throw new Error(`boom ${new URL(request.url).pathname}`);
      return response;
    },
  } as unknown as AstroPrerenderer;
  let prerenderer: AstroPrerenderer | undefined;
  for (const integration of guardRenders([store.integration])) {
    const start = integration.hooks['astro:build:start'] as ((params: unknown) => void) | undefined;
    start?.({ setPrerenderer: (p: unknown) => (prerenderer = typeof p === 'function' ? p(inner) : p), logger: {} });
  }
  const written: Record<string, string> = {};
  const run = async () => {
    try {
      const seen = new Set<string>();
      const queue = ((await prerenderer!.getStaticPaths()) as unknown as Path[]).filter((p) => {
        const normal = p.pathname.replace(/\/$/, '');
        return !seen.has(normal) && !!seen.add(normal);
      });
      let next = 0;
      const worker = async () => {
        while (next < queue.length) {
          const p = queue[next++]!;
          const url = `http://localhost${path.posix.join(p.pathname, '/')}`;
          const result = await prerenderer!.render(new Request(url), { routeData: p.route } as never);
          const response = result instanceof Response ? result : result.response;
          if (response.body) written[p.pathname] = `${response.status} ${await response.text()}`;
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
    } finally {
      await prerenderer!.teardown?.();
    }
  };
  const hang = new Promise<string>((resolve) => setTimeout(() => resolve('hang'), 3000));
  const outcome = await Promise.race([
    run().then(
      () => 'ok',
      (error: Error) => `failed: ${error.message}`,
    ),
    hang,
  ]);
  return { outcome, written, counts: store.counts() };
}

const keyed = (pathname: string, key: string): Path => ({ pathname, route: page(), cacheKey: key });

describe('page store', () => {
  it('answers the stored pages with the footer of the page it renders', async () => {
    const run = await generate(
      [{ pathname: '/', route: page('src/pages/index.astro') }, keyed('/a', 'ka'), keyed('/b', 'kb'), keyed('/c', 'changed')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
        ['/c/', 'kc'],
      ],
      rendered,
    );
    expect(run.outcome).toBe('ok');
    expect(run.written).toEqual({
      '/': `200 <p>/ rendered</p>${NEW}`,
      '/a': `200 <p>/a/ stored</p>${NEW}`,
      '/b': `200 <p>/b/ stored</p>${NEW}`,
      '/c': `200 <p>/c/ rendered</p>${NEW}`,
    });
    expect(run.counts).toEqual({ keyed: 3, reused: 2 });
  });

  it('renders the first page all the same when every page is stored, for its footer', async () => {
    const run = await generate(
      [keyed('/a', 'ka'), keyed('/b', 'kb')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
      ],
      rendered,
    );
    expect(run.outcome).toBe('ok');
    expect(run.written['/a']).toBe(`200 <p>/a/ rendered</p>${NEW}`);
    expect(run.written['/b']).toBe(`200 <p>/b/ stored</p>${NEW}`);
    expect(run.counts).toEqual({ keyed: 2, reused: 1 });
  });

  it('renders the stored pages too when no rendered page has a footer (a page that answers 500)', async () => {
    const run = await generate(
      [keyed('/a', 'ka'), keyed('/b', 'kb')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
      ],
      (p) => (p === '/a/' ? new Response('error', { status: 500 }) : rendered(p)),
    );
    expect(run.outcome).toBe('ok');
    expect(run.written['/b']).toBe(`200 <p>/b/ rendered</p>${NEW}`);
    expect(run.counts.reused).toBe(0);
  });

  it('fails with the page that throws, and nothing waits', async () => {
    const run = await generate(
      [keyed('/a', 'ka'), keyed('/b', 'kb')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
      ],
      (p) => (p === '/a/' ? 'throw' : rendered(p)),
    );
    expect(run.outcome).toMatch(/^failed: page \/a\/ .* boom \/a\//);
  });

  it("knows that an endpoint taking a page's path is what Astro writes there, and still finds a footer", async () => {
    const run = await generate(
      [{ pathname: '/x', route: { type: 'endpoint', component: 'src/pages/x.ts' } }, { pathname: '/x/', route: page() }, keyed('/b', 'kb')],
      [['/b/', 'kb']],
      (p) => (p === '/x/' ? new Response('endpoint', { status: 200 }) : rendered(p)),
    );
    expect(run.outcome).toBe('ok');
    expect(run.written['/b']).toBe(`200 <p>/b/ rendered</p>${NEW}`);
  });
});
