import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedPackages, publicPackages, REPO_ROOT, workspacePackages } from '../src/index.js';

const builtins = new Set(builtinModules);
const packages = publicPackages();
const versions = new Map(workspacePackages().map((p) => [p.manifest.name, p.manifest.version]));

/**
 * Runtime dependencies a package's source does not import, with the reason.
 * The CLI's single-file bundle loads Vega (left outside the bundle, loaded on
 * first use by the HTML reporter) and the Arrow and Parquet readers (loaded
 * on demand by @glmm/node-io) itself, so it must find them installed.
 */
const NOT_IMPORTED_BY_SOURCE: Record<string, Record<string, string>> = {
  '@glmm/cli': {
    vega: 'loaded by dist/glmm.bundle.mjs',
    'vega-lite': 'loaded by dist/glmm.bundle.mjs',
    'apache-arrow': 'loaded by dist/glmm.bundle.mjs',
    hyparquet: 'loaded by dist/glmm.bundle.mjs',
  },
};

describe('public package manifests', () => {
  it('there are public packages, and the example and the benchmark are private', () => {
    expect(packages.length).toBeGreaterThanOrEqual(19);
    const priv = workspacePackages().filter((p) => p.manifest.private).map((p) => p.manifest.name);
    expect(priv).toEqual(expect.arrayContaining(['@glmm/bench', '@glmm/release']));
  });

  it.each(packages.map((p) => [p.manifest.name, p] as const))('%s: runtime dependencies are exactly what its source imports', (name, p) => {
    const imported = importedPackages(join(p.dir, 'src'), builtins).all;
    imported.delete(name);
    const declared = new Set([...Object.keys(p.manifest.dependencies ?? {}), ...Object.keys(p.manifest.peerDependencies ?? {})]);
    const allowed = NOT_IMPORTED_BY_SOURCE[name] ?? {};
    expect([...imported].filter((d) => !declared.has(d)).sort(), 'imported but not a dependency').toEqual([]);
    expect([...declared].filter((d) => !imported.has(d) && !(d in allowed)).sort(), 'a dependency nothing imports').toEqual([]);
  });

  it.each(packages.map((p) => [p.manifest.name, p] as const))('%s: no test tooling at run time, internal versions pinned', (name, p) => {
    const deps = p.manifest.dependencies ?? {};
    expect(Object.keys(deps).filter((d) => ['vitest', '@glmm/testing', 'fast-check', 'playwright-core', 'esbuild', 'typescript'].includes(d))).toEqual([]);
    for (const [dep, range] of Object.entries({ ...deps, ...(p.manifest.devDependencies ?? {}) })) {
      if (!dep.startsWith('@glmm/')) continue;
      expect(range, `${name} -> ${dep}`).toBe(`^${versions.get(dep)}`);
    }
  });

  it.each(packages.map((p) => [p.manifest.name, p] as const))('%s: a description, the license, a README, what npm pack takes', (_, p) => {
    const m = p.manifest;
    expect(m.description?.length ?? 0).toBeGreaterThan(20);
    expect(m.license).toBe('MIT');
    expect(existsSync(join(p.dir, 'README.md'))).toBe(true);
    expect(m.files).toEqual(expect.arrayContaining(['dist', 'README.md', 'LICENSE', 'CHANGELOG.md']));
    expect(m.types).toMatch(/^\.\/dist\/.*\.d\.ts$/);
  });

  it('the repository has the license and the changelog the packs copy', () => {
    expect(existsSync(join(REPO_ROOT, 'LICENSE'))).toBe(true);
    expect(existsSync(join(REPO_ROOT, 'CHANGELOG.md'))).toBe(true);
  });
});
