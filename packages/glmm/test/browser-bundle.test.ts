import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe, expect, it } from 'vitest';

const packages = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Bundles an entry for the browser from source, as a bundler would: @glmm/*
 * resolve to each package's browser entry (src/index.ts, or a named subpath),
 * and any Node builtin an import reaches is recorded instead of resolved.
 */
async function bundleForBrowser(entry: string): Promise<{ nodeImports: string[]; inputs: string[]; bytes: number }> {
  const nodeImports: string[] = [];
  const builtins = new Set(builtinModules);
  const plugin: Plugin = {
    name: 'browser-check',
    setup(b) {
      b.onResolve({ filter: /^@glmm\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
        const [, pkg, sub] = /^@glmm\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path)!;
        return { path: `${packages}${pkg}/src/${sub ?? 'index'}.ts` };
      });
      b.onResolve({ filter: /.*/ }, (args) => {
        const bare = args.path.replace(/^node:/, '').split('/')[0]!;
        if (args.path.startsWith('node:') || builtins.has(bare)) {
          nodeImports.push(`${args.path} (imported by ${args.importer.replace(packages, '')})`);
          return { path: args.path, external: true };
        }
        return undefined;
      });
    },
  };
  const result = await build({
    entryPoints: [`${packages}${entry}`],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    minify: true,
    metafile: true,
    logLevel: 'silent',
    plugins: [plugin],
  });
  return {
    nodeImports,
    inputs: Object.keys(result.metafile.inputs),
    bytes: result.outputFiles.reduce((s, f) => s + f.contents.length, 0),
  };
}

describe('the library bundles for a browser', () => {
  it('@glmm/glmm (its browser entry) reaches no Node builtin', async () => {
    const b = await bundleForBrowser('glmm/src/index.ts');
    console.log(`@glmm/glmm browser bundle (every plugin, the HTML reporter with Vega): ${(b.bytes / 1024).toFixed(0)} KiB minified`);
    expect(b.nodeImports).toEqual([]);
    expect(['family-gamma', 'estimator-pql', 'model'].filter((p) => !b.inputs.some((i) => i.includes(`${p}/src/`)))).toEqual([]);
  });

  it('@glmm/inference (tests and intervals on a fitted model) reaches no Node builtin', async () => {
    const b = await bundleForBrowser('inference/src/index.ts');
    expect(b.nodeImports).toEqual([]);
    expect(b.inputs.some((i) => i.includes('model/src/'))).toBe(true);
  });

  it('the check finds a Node import where there is one: the Node entry reads files', async () => {
    const b = await bundleForBrowser('glmm/src/node.ts');
    expect(b.nodeImports).toContain('node:fs (imported by node-io/src/file-bytes.ts)');
  });

  it('@glmm/glmm/base with a few plugins carries only those plugins', async () => {
    const b = await bundleForBrowser('glmm/test/fixtures/poisson-app.ts');
    expect(b.nodeImports).toEqual([]);
    const used = (pkg: string) => b.inputs.some((i) => i.includes(`${pkg}/src/`));
    expect(['family-poisson', 'estimator-laplace', 'links', 'optimizer', 'covariance'].filter((p) => !used(p))).toEqual([]);
    expect(used('model')).toBe(true);
    expect(['family-gamma', 'family-gaussian', 'family-binomial', 'estimator-reml', 'estimator-pql'].filter(used)).toEqual([]);
  });
});
