/**
 * scripts/page-store.ts inside scripts/render-guard.ts, as scripts/site.ts composes them, driven by
 * a fake prerenderer and a loop that generates as Astro's generate.js does (the first route of a
 * path wins, paths compared without their trailing slash; four renders at a time, in order; the
 * teardown at the end), then `writeStored`: the stored pages are taken out of the plan and written
 * from the pack with this build's footer, where Astro writes a page.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroPrerenderer } from 'astro';
import { afterAll, describe, expect, it } from 'vitest';
import { writePagePack } from '../../src/lib/cache/page-pack.ts';
import { openPageStore, pageFile } from '../../scripts/page-store.ts';
import { guardRenders } from '../../scripts/render-guard.ts';
import { removeTemp, tempDir } from '../safety/helpers.ts';

afterAll(removeTemp);

type Path = { pathname: string; route: { type: string; component: string }; cacheKey?: string };
const NEW = '<footer class="foot">NEW</footer></body></html>';
const page = (component = 'src/pages/p.astro') => ({ type: 'page', component });
const rendered = (p: string) => new Response(`<p>${p} rendered</p>${NEW}`, { status: 200 });

async function generate(paths: Path[], stored: [string, string][], answer: (pathname: string) => Response | 'throw', publicFiles: string[] = []) {
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
  const publicDir = tempDir('page-store-public');
  for (const file of publicFiles) {
    mkdirSync(path.dirname(path.join(publicDir, file)), { recursive: true });
    writeFileSync(path.join(publicDir, file), 'public');
  }
  for (const integration of guardRenders([store.integration])) {
    const configDone = integration.hooks['astro:config:done'] as ((params: unknown) => void) | undefined;
    configDone?.({ config: { publicDir: pathToFileURL(`${publicDir}/`) } });
    const start = integration.hooks['astro:build:start'] as ((params: unknown) => void) | undefined;
    start?.({ setPrerenderer: (p: unknown) => (prerenderer = typeof p === 'function' ? p(inner) : p), logger: {} });
  }
  const written: Record<string, string> = {};
  const out = tempDir('page-store-out');
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
    await store.writeStored(out);
    for (const file of readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('index.html')))
      written[`stored /${path.dirname(file)}`] = readFileSync(path.join(out, file), 'utf8');
  };
  const hang = new Promise<string>((resolve) => setTimeout(() => resolve('hang'), 3000));
  const outcome = await Promise.race([
    run().then(
      () => 'ok',
      (error: Error) => `failed: ${error.message}`,
    ),
    hang,
  ]);
  return { outcome, written, counts: store.counts(), out };
}

const keyed = (pathname: string, key: string): Path => ({ pathname, route: page(), cacheKey: key });

describe('page store', () => {
  it("takes the stored pages out of Astro's plan and writes them with the footer of a page it renders", async () => {
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
      'stored /a': `<p>/a/ stored</p>${NEW}`,
      'stored /b': `<p>/b/ stored</p>${NEW}`,
      '/c': `200 <p>/c/ rendered</p>${NEW}`,
    });
    expect(run.counts).toEqual({ keyed: 3, reused: 2 });
  });

  it('renders a stored page all the same when every page is stored, for its footer', async () => {
    const run = await generate(
      [keyed('/a', 'ka'), keyed('/b', 'kb')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
      ],
      rendered,
    );
    expect(run.outcome).toBe('ok');
    expect(run.written).toEqual({ '/a': `200 <p>/a/ rendered</p>${NEW}`, 'stored /b': `<p>/b/ stored</p>${NEW}` });
    expect(run.counts).toEqual({ keyed: 2, reused: 1 });
  });

  it('fails, writing no stored page, when no rendered page has the footer a stored page needs (a page that answers 500)', async () => {
    const run = await generate(
      [keyed('/a', 'ka'), keyed('/b', 'kb')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
      ],
      (p) => (p === '/a/' ? new Response('error', { status: 500 }) : rendered(p)),
    );
    expect(run.outcome).toMatch(/^failed: internal error: no page rendered had the layout's footer, which \/b\/ .*--no-cache/);
    expect(existsSync(path.join(run.out, 'b'))).toBe(false);
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

  it('leaves to Astro a stored page whose file is in the public folder (Astro skips it)', async () => {
    const run = await generate(
      [{ pathname: '/', route: page('src/pages/index.astro') }, keyed('/a', 'ka'), keyed('/b', 'kb')],
      [
        ['/a/', 'ka'],
        ['/b/', 'kb'],
      ],
      rendered,
      ['a/index.html'],
    );
    expect(run.outcome).toBe('ok');
    expect(run.written).toEqual({ '/': `200 <p>/ rendered</p>${NEW}`, '/a': `200 <p>/a/ rendered</p>${NEW}`, 'stored /b': `<p>/b/ stored</p>${NEW}` });
    expect(run.counts).toEqual({ keyed: 2, reused: 1 });
  });

  it('writes a stored page where Astro writes it, its path URI-encoded and decoded back', async () => {
    const run = await generate(
      [{ pathname: '/', route: page('src/pages/index.astro') }, keyed('/rules/a b/', 'k1'), keyed('/tags/é%20x/', 'k2')],
      [
        ['/rules/a b/', 'k1'],
        ['/tags/é%20x/', 'k2'],
      ],
      rendered,
    );
    expect(run.outcome).toBe('ok');
    expect(readFileSync(path.join(run.out, 'rules', 'a b', 'index.html'), 'utf8')).toBe(`<p>/rules/a b/ stored</p>${NEW}`);
    expect(readFileSync(path.join(run.out, 'tags', 'é%20x', 'index.html'), 'utf8')).toBe(`<p>/tags/é%20x/ stored</p>${NEW}`);
  });
});

describe('pageFile', () => {
  it("is the file Astro's build writes a page route to, with build.format 'directory'", async () => {
    // Astro's own functions (not exported by the package): a change in its rule fails here, not in a published site.
    const common = (await import(path.join(process.cwd(), 'node_modules/astro/dist/core/build/common.js'))) as {
      getOutFolder(settings: unknown, pathname: string, route: unknown): URL;
      getOutFile(format: string, folder: URL, pathname: string, route: unknown): URL;
    };
    const outDir = tempDir('page-file');
    const settings = { buildOutput: 'static', config: { outDir: pathToFileURL(`${outDir}/`), build: { format: 'directory' } } };
    const route = { type: 'page', isIndex: false };
    for (const pathname of ['/', '/rules/a/', '/rules/a', '/rules/a b/', '/tags/é%20x/', '/t/T1003.001/', "/x/it's#1?/"]) {
      const encoded = encodeURI(pathname);
      const astro = fileURLToPath(common.getOutFile('directory', common.getOutFolder(settings, encoded, route), encoded, route));
      expect(pageFile(outDir, pathname)).toBe(astro);
    }
  });
});
