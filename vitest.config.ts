import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests import the workspace packages from source, so no build is needed to test.
export default defineConfig({
  resolve: {
    alias: [{ find: /^@glmm\/([a-z0-9-]+)$/, replacement: `${packages}$1/src/index.ts` }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
