/**
 * Stops Astro's render at the first page that fails, and fails the build with that page's error
 * once every queued page is settled. Astro rejects its build on the first page that throws but
 * keeps working through the pages already queued (p-limit under Promise.all,
 * astro/dist/core/build/generate.js): scripts/site.ts had by then restored the environment, so
 * those pages failed by the hundred with "ATLAS_CATALOG is not set", and pages copied from the
 * page cache raced the removal of the render folder (ENOTEMPTY reported instead of the real
 * error, the folder left behind). Wrapped by this guard, the failing page and every page after it
 * answer with an empty body (Astro writes nothing for it), the later ones without rendering, so
 * the queue drains at once; the first failure is thrown from the prerenderer's teardown, which
 * Astro calls when the queue is done, so `build()` rejects with it when nothing of the render is
 * still running.
 */
import type { AstroIntegration, AstroPrerenderer } from 'astro';

/** A page that threw while Astro rendered it. */
export class PageRenderError extends Error {
  constructor(
    /** The page's path, as requested (base included). */
    readonly page: string,
    /** The route's file, e.g. `src/pages/rules/[slug].astro`. */
    readonly component: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`page ${page} (${component}) failed to render: ${reason}`, { cause });
    this.name = 'PageRenderError';
    if (cause instanceof Error && cause.stack) this.stack = `${this.name}: ${this.message}\n${cause.stack}`;
  }
}

type SetPrerenderer = AstroPrerenderer | ((defaultPrerenderer: AstroPrerenderer) => AstroPrerenderer);

/** Astro's prerenderer, answering every page after the first failure with an empty body, and throwing that failure at teardown. */
function guarded(inner: AstroPrerenderer): AstroPrerenderer {
  let failure: PageRenderError | undefined;
  // Set at teardown: Astro also tears down when its own work on a page fails (a write, a copy from the
  // page cache), while queued pages still come in; those are answered empty, not rendered.
  let closed = false;
  // Renders under way: the teardown waits for them, so none is still running (and reading the
  // environment scripts/site.ts restores) when Astro's build rejects.
  const running = new Set<Promise<unknown>>();
  return {
    ...inner,
    name: 'atlas:render-guard',
    setup: inner.setup && (() => inner.setup!()),
    getStaticPaths: () => inner.getStaticPaths(),
    collectStaticImages: inner.collectStaticImages && (() => inner.collectStaticImages!()),
    async teardown() {
      closed = true;
      await Promise.allSettled(running);
      await inner.teardown?.();
      if (failure) throw failure;
    },
    async render(request, options) {
      if (failure || closed) return new Response(null);
      const render = inner.render(request, options);
      running.add(render);
      try {
        return await render;
      } catch (error) {
        failure ??= new PageRenderError(new URL(request.url).pathname, options.routeData.component, error);
        return new Response(null);
      } finally {
        running.delete(render);
      }
    },
  };
}

/**
 * The integrations for Astro's build, with the render guard around their prerenderers. Astro keeps
 * only the last prerenderer set, so the integrations' own wrappers (scripts/search-index.ts) are
 * taken from their `astro:build:start` hooks and applied in order, inside the guard.
 */
export function guardRenders(integrations: AstroIntegration[]): AstroIntegration[] {
  const wrappers: SetPrerenderer[] = [];
  const inner = integrations.map((integration): AstroIntegration => {
    const start = integration.hooks['astro:build:start'];
    if (!start) return integration;
    return {
      ...integration,
      hooks: { ...integration.hooks, 'astro:build:start': (params) => start({ ...params, setPrerenderer: (p) => void wrappers.push(p) }) },
    };
  });
  const guard: AstroIntegration = {
    name: 'atlas:render-guard',
    hooks: {
      'astro:build:start': ({ setPrerenderer }) =>
        setPrerenderer((base) => guarded(wrappers.reduce<AstroPrerenderer>((p, wrap) => (typeof wrap === 'function' ? wrap(p) : wrap), base))),
    },
  };
  return [...inner, guard];
}
