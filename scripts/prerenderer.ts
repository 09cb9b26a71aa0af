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
