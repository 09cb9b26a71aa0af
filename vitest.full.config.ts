import { defineConfig } from 'vitest/config';

// The full-corpus site checks (a ~1 minute build): run by `npm run test:full` and in CI.
export default defineConfig({
  test: {
    include: ['tests/full/**/*.test.ts'],
    // Astro builds of one project share its .astro folder: run the site builds one at a time.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
