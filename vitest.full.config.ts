import { defineConfig } from 'vitest/config';

// The full-corpus site checks (a ~1 minute build): run by `npm run test:full` and in CI.
export default defineConfig({
  test: {
    include: ['tests/full/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
