// Bundles the CLI and the library entry into single ES modules after `tsc -b`.
// Node pays per file it loads: the dozens of small modules of inversify and of
// our packages cost more at start-up than the fit of a small model, so the
// `glmm` command and the cold-start path load one file each.
import { build } from 'rolldown';
import { builtinModules } from 'node:module';

// @glmm/datasets locates its data files relative to its own module, so it stays a separate file.
// The Arrow and Parquet readers are loaded on demand (dynamic import): bundled, they would be parsed at every start.
// vega and vega-lite are loaded by the HTML reporter on first use: outside the bundle, a text or JSON run never parses them.
const external = [...builtinModules, ...builtinModules.map((m) => `node:${m}`), '@glmm/datasets', 'apache-arrow', 'hyparquet', 'vega', 'vega-lite'];
const targets = [
  { input: 'packages/cli/dist/main.js', file: 'packages/cli/dist/glmm.bundle.mjs' },
  { input: 'packages/glmm/dist/node.js', file: 'packages/glmm/dist/glmm.bundle.mjs' },
];
for (const { input, file } of targets) {
  await build({
    input,
    platform: 'node',
    external,
    logLevel: 'silent',
    output: { file, format: 'esm', codeSplitting: false },
  });
}
