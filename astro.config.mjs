// Astro configuration of the Detection Atlas site. The pages read the catalog named by the
// ATLAS_CATALOG environment variable (set by scripts/site.ts); ATLAS_BASE and ATLAS_SITE set the
// deployment base path and origin.
import { defineConfig } from 'astro/config';
import { normalizeBase } from './src/lib/site/urls.ts';

// The same base as the links (`/x/`: spaces and slashes at its ends trimmed), or stylesheet and page paths differ from them.
const base = normalizeBase(process.env.ATLAS_BASE);

export default defineConfig({
  ...(process.env.ATLAS_SITE ? { site: process.env.ATLAS_SITE } : {}),
  base,
  output: 'static',
  trailingSlash: 'always',
  compressHTML: true,
  build: {
    format: 'directory',
    concurrency: 4,
    inlineStylesheets: 'never',
  },
  devToolbar: { enabled: false },
});
