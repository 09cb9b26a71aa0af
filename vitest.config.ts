import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/full/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
