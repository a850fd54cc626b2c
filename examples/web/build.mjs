// Builds the web example with esbuild: the page's script and the fit worker,
// straight from the packages' TypeScript sources through their browser
// entries (no Node builtin may be reached), into dist/site.  Prints the size
// of each file.  `node build.mjs` builds; the tests import buildWebExample.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = fileURLToPath(new URL('./', import.meta.url));
const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

/** @glmm/* from source, through each package's browser entry; a Node builtin is an error. */
const sourcePlugin = {
  name: 'glmm-source',
  setup(b) {
    b.onResolve({ filter: /^@glmm\/[a-z0-9-]+(\/[a-z0-9-]+)?$/ }, (args) => {
      const [, pkg, sub] = /^@glmm\/([a-z0-9-]+)(?:\/([a-z0-9-]+))?$/.exec(args.path);
      return { path: `${packages}${pkg}/src/${sub ?? 'index'}.ts` };
    });
    const builtins = new Set(builtinModules);
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path.startsWith('node:') || builtins.has(args.path.split('/')[0])) {
        return { errors: [{ text: `${args.importer} imports the Node builtin "${args.path}", which a browser does not have` }] };
      }
      return undefined;
    });
  },
};

/** Builds into `outdir`; returns each output file's size in bytes, raw and gzipped. */
export async function buildWebExample(outdir = `${here}dist/site`) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: { app: `${here}src/app.ts`, 'fit-worker': `${here}src/fit-worker.ts` },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: false,
    loader: { '.csv': 'text' },
    logLevel: 'warning',
    plugins: [sourcePlugin],
  });
  copyFileSync(`${here}index.html`, `${outdir}/index.html`);
  const sizes = {};
  for (const name of ['index.html', 'app.js', 'fit-worker.js']) {
    const path = `${outdir}/${name}`;
    sizes[name] = { bytes: statSync(path).size, gzip: gzipSync(readFileSync(path)).length };
  }
  return { outdir, sizes };
}

export function formatSizes(sizes) {
  return Object.entries(sizes)
    .map(([name, s]) => `${name.padEnd(14)} ${(s.bytes / 1024).toFixed(0).padStart(6)} KiB  (gzip ${(s.gzip / 1024).toFixed(0)} KiB)`)
    .join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outdir, sizes } = await buildWebExample();
  console.log(`web example built in ${outdir}:\n${formatSizes(sizes)}`);
}
