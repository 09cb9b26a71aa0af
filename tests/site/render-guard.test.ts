/**
 * scripts/render-guard.ts with a stand-in for Astro's prerenderer: after the first page that
 * throws, no page is rendered any more (each answers with an empty body), Astro's queue sees no
 * error, and the teardown throws the first failure naming its page; the integrations' own
 * prerenderer wrappers are applied inside the guard, in order.
 */
import type { AstroIntegration, AstroPrerenderer } from 'astro';
import { describe, expect, test } from 'vitest';
import { guardRenders, PageRenderError } from '../../scripts/render-guard.ts';

type StartHook = (params: { setPrerenderer: (p: AstroPrerenderer | ((d: AstroPrerenderer) => AstroPrerenderer)) => void }) => void;

/** Runs the integrations' astro:build:start hooks as Astro does (the last prerenderer set wins) over `base`. */
function prerendererOf(integrations: AstroIntegration[], base: AstroPrerenderer): AstroPrerenderer {
  const set: (AstroPrerenderer | ((d: AstroPrerenderer) => AstroPrerenderer))[] = [];
  for (const integration of integrations) {
    const hook = integration.hooks['astro:build:start'] as StartHook | undefined;
    hook?.({ setPrerenderer: (p) => set.push(p) });
  }
  const last = set.at(-1) ?? base;
  return typeof last === 'function' ? last(base) : last;
}

const route = (component: string) => ({ routeData: { component } }) as unknown as Parameters<AstroPrerenderer['render']>[1];

/** A prerenderer whose page `/fail/` throws; it records the pages it rendered and whether it was torn down. */
function stand() {
  const rendered: string[] = [];
  let tornDown = false;
  const prerenderer: AstroPrerenderer = {
    name: 'stand-in',
    getStaticPaths: async () => [],
    async render(request) {
      const page = new URL(request.url).pathname;
      rendered.push(page);
      if (page === '/fail/') throw new Error('references.map is not a function');
      return new Response(`<p>${page}</p>`);
    },
    async teardown() {
      tornDown = true;
    },
  };
  return { prerenderer, rendered, tornDown: () => tornDown };
}

const request = (page: string) => new Request(`http://localhost${page}`);

describe('guardRenders', () => {
  test('the teardown waits for the renders under way', async () => {
    const s = stand();
    let finish!: () => void;
    const slow: AstroPrerenderer = {
      ...s.prerenderer,
      render: (r, o) => new Promise<void>((resolve) => (finish = resolve)).then(() => s.prerenderer.render(r, o)),
    };
    const p = prerendererOf(guardRenders([]), slow);
    const page = p.render(request('/slow/'), route('src/pages/a.astro'));
    let tornDown = false;
    const teardown = p.teardown!().then(() => (tornDown = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tornDown).toBe(false);
    finish();
    await teardown;
    expect(await ((await page) as Response).text()).toBe('<p>/slow/</p>');
  });

  test('after the teardown (Astro failed on its own work, a write or a copy) queued pages are not rendered', async () => {
    const s = stand();
    const p = prerendererOf(guardRenders([]), s.prerenderer);
    await p.render(request('/a/'), route('src/pages/a.astro'));
    await p.teardown!();
    const late = (await p.render(request('/b/'), route('src/pages/b.astro'))) as Response;
    expect(late.body).toBeNull();
    expect(s.rendered).toEqual(['/a/']);
    expect(s.tornDown()).toBe(true);
  });

  test('no page is rendered after the first failure; the teardown throws it, naming the page', async () => {
    const s = stand();
    const p = prerendererOf(guardRenders([]), s.prerenderer);
    const first = (await p.render(request('/a/'), route('src/pages/a.astro'))) as Response;
    expect(await first.text()).toBe('<p>/a/</p>');
    const failed = (await p.render(request('/fail/'), route('src/pages/rules/[slug].astro'))) as Response;
    expect(failed.body).toBeNull();
    for (const page of ['/b/', '/fail/', '/c/']) expect(((await p.render(request(page), route('src/pages/b.astro'))) as Response).body).toBeNull();
    expect(s.rendered).toEqual(['/a/', '/fail/']);
    const error = await p.teardown!().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(s.tornDown()).toBe(true);
    expect(error).toBeInstanceOf(PageRenderError);
    expect((error as Error).message).toBe('page /fail/ (src/pages/rules/[slug].astro) failed to render: references.map is not a function');
    expect(((error as Error).cause as Error).message).toBe('references.map is not a function');
  });

  test('a render without failure tears down quietly', async () => {
    const s = stand();
    const p = prerendererOf(guardRenders([]), s.prerenderer);
    await p.render(request('/a/'), route('src/pages/a.astro'));
    await expect(p.teardown!()).resolves.toBeUndefined();
  });

  test("the integrations' own prerenderer wrappers run inside the guard, in order", async () => {
    const seen: string[] = [];
    const tagging = (name: string): AstroIntegration => ({
      name,
      hooks: {
        'astro:build:start': ({ setPrerenderer }) =>
          setPrerenderer((inner) => ({
            ...inner,
            async render(req, options) {
              seen.push(`${name} ${new URL(req.url).pathname}`);
              return inner.render(req, options);
            },
          })),
      },
    });
    const s = stand();
    const integrations = guardRenders([tagging('one'), { name: 'plain', hooks: {} }, tagging('two')]);
    expect(integrations.map((i) => i.name)).toEqual(['one', 'plain', 'two', 'atlas:render-guard']);
    const p = prerendererOf(integrations, s.prerenderer);
    await p.render(request('/a/'), route('src/pages/a.astro'));
    await p.render(request('/fail/'), route('src/pages/a.astro'));
    await p.render(request('/b/'), route('src/pages/a.astro'));
    // The wrappers see the failing page (the search feed is given nothing for it), and nothing after it.
    expect(seen).toEqual(['two /a/', 'one /a/', 'two /fail/', 'one /fail/']);
    await expect(p.teardown!()).rejects.toThrow('page /fail/');
  });
});
