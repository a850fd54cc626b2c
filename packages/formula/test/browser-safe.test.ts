/**
 * The formula package runs in a web page: bundled for the browser it must
 * resolve without Node's modules and must not use Node's globals (csv-parse,
 * once the CSV fallback, reads through Buffer). A real bundler decides.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

describe('browser safety', () => {
  it('bundles for the browser with no Node module and no Buffer', async () => {
    const out = await build({
      entryPoints: [here('../src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      alias: { '@glmm/core': here('../../core/src/index.ts') },
    });
    expect(out.errors).toEqual([]);
    const code = out.outputFiles[0]!.text;
    expect(code).not.toMatch(/\bBuffer\.(from|isBuffer|alloc)/);
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).not.toMatch(/require\(["'](fs|path|stream|node:)/);
  });
});
