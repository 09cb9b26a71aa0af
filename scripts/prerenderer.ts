/**
 * An integration wrapping Astro's prerenderer (`setPrerenderer` in `astro:build:start`): `wrap` gives
 * its own `getStaticPaths` and `render` around the inner prerenderer's, the rest is passed through.
 * scripts/render-guard.ts composes such wrappers, inside its own.
 */
import type { AstroIntegration, AstroPrerenderer } from 'astro';

export function prerendererWrapper(name: string, wrap: (inner: AstroPrerenderer) => Pick<AstroPrerenderer, 'getStaticPaths' | 'render'>): AstroIntegration {
  return {
    name,
    hooks: {
      'astro:build:start': ({ setPrerenderer }) =>
        setPrerenderer((inner) => ({
          ...inner,
          name,
          setup: inner.setup && (() => inner.setup!()),
          teardown: inner.teardown && (() => inner.teardown!()),
          collectStaticImages: inner.collectStaticImages && (() => inner.collectStaticImages!()),
          ...wrap(inner),
        })),
    },
  };
}

/** Bytes of the copies made by withBody, so a wrapper around another does not read its copy's stream again. Shared, so never changed in place. */
const bodies = new WeakMap<Response, Buffer<ArrayBuffer>>();

/** A rendered page's bytes (its body is read, unless it is a copy made by withBody). */
export async function bodyOf(response: Response): Promise<Buffer<ArrayBuffer>> {
  return bodies.get(response) ?? Buffer.from(await response.arrayBuffer());
}

/** A new response of `body` with the status and headers of `response`, to return in its place once its body was read. */
export function withBody(response: Response, body: Buffer<ArrayBuffer>): Response {
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  bodies.set(copy, body);
  return copy;
}
