/** The real launcher, as `npx glmm` runs it; needs the root build (`tsc -b`) to have produced dist/. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/glmm.js', import.meta.url));
const builtMain = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('bin/glmm.js', () => {
  it('starts with a node shebang and loads the bundle, falling back to dist/main.js', () => {
    const text = readFileSync(bin, 'utf8');
    expect(text.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(text).toContain("'../dist/glmm.bundle.mjs'");
    expect(text).toContain("'../dist/main.js'");
  });

  it('node bin/glmm.js example fits the bundled example from the built command', (ctx) => {
    if (!existsSync(builtMain)) ctx.skip('packages/cli/dist/main.js is missing: run the root build (npx tsc -b) first');
    const out = execFileSync(process.execPath, [bin, 'example', '--format', 'json'], { encoding: 'utf8' });
    const results = JSON.parse(out) as { nobs: number; fit: { logLik: number } };
    expect(results.nobs).toBe(180);
    expect(results.fit.logLik).toBeCloseTo(-871.8141, 3);
  });

  it('node bin/glmm.js --version prints the version', (ctx) => {
    if (!existsSync(builtMain)) ctx.skip('packages/cli/dist/main.js is missing: run the root build (npx tsc -b) first');
    const out = execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(out).toBe(`${version}\n`);
  });

  it('node bin/glmm.js with an unknown option exits 2 with one stderr line', (ctx) => {
    if (!existsSync(builtMain)) ctx.skip('packages/cli/dist/main.js is missing: run the root build (npx tsc -b) first');
    const r = spawnSync(process.execPath, [bin, 'fit', '--bogus'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^glmm: error: unknown option --bogus for "glmm fit"; valid options: [^\n]+\n$/);
  });
});
