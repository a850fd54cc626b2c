import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('./', import.meta.url));
const packages = `${root}packages/`;

// Tests import the workspace packages from source, so no build is needed to
// test.  Each package also writes a JSON report that .ci/run totals, because
// CI reads one "N passed, N failed" line over all packages.
export default defineConfig({
  resolve: {
    alias: [
      // Subpath entries: @glmm/formula/node -> packages/formula/src/node.ts.
      { find: /^@glmm\/([a-z0-9-]+)\/([a-z0-9-]+)$/, replacement: `${packages}$1/src/$2.ts` },
      // A package's Node entry where it has one, as Node's "node" export condition picks it.
      {
        find: /^@glmm\/([a-z0-9-]+)$/,
        replacement: '$1',
        customResolver: (name: string) => `${packages}${name}/src/${existsSync(`${packages}${name}/src/node.ts`) ? 'node' : 'index'}.ts`,
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    reporters: ['default', 'json'],
    outputFile: { json: `${root}test-results/${basename(process.cwd())}.json` },
  },
});
