import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixture } from '@glmm/datasets';
import { expectOneLineError, run, tempFile, tempPath } from './helpers.js';

const plugin = fileURLToPath(new URL('./plugins/counts-family.mjs', import.meta.url));
const grouse = loadFixture('grouseticks_intercept_poisson_laplace');
const fitArgs = ['fit', '--data', grouse.csvPath, '--formula', grouse.reference.formula, '--categorical', 'YEAR,LOCATION', '--format', 'json'];

describe('glmm fit --plugin', () => {
  it('loads a family from a file and fits with it exactly as with the built-in family it copies', async () => {
    const own = await run([...fitArgs, '--family', 'poisson']);
    const viaPlugin = await run([...fitArgs, '--plugin', plugin, '--family', 'counts']);
    expect(viaPlugin.stderr).toBe('');
    expect(viaPlugin.code).toBe(0);
    const a = JSON.parse(own.stdout);
    const b = JSON.parse(viaPlugin.stdout);
    expect(b.family).toBe('counts');
    expect(b.fit.logLik).toBeCloseTo(a.fit.logLik, 6);
    b.fixedEffects.forEach((e: { estimate: number }, i: number) => expect(e.estimate).toBeCloseTo(a.fixedEffects[i].estimate, 5));
  });

  it('lists the plugin in "glmm fit --help", with everything else the container holds', async () => {
    const r = await run(['fit', '--plugin', plugin, '--help']);
    expect(r.code).toBe(0);
    const families = r.stdout.split('\n').find((l) => l.includes('families (--family)'))!;
    expect(families.split(/\s{2,}/)[2]!.split(', ')).toEqual(['binomial', 'counts', 'gamma', 'gaussian', 'inverse_gaussian', 'negative_binomial', 'poisson']);
    expect(r.stdout).toMatch(/methods \(--method\)\s+agq, laplace, ml, mpl, pql, reml, rempl/);
    expect(r.stdout).toMatch(/covariance structures \(--covariance\)\s+diagonal, unstructured/);
  });

  it('may be repeated, and registering the same bundle twice is harmless', async () => {
    const r = await run([...fitArgs, '--plugin', plugin, '--plugin', plugin, '--family', 'counts']);
    expect(r.code).toBe(0);
  });

  it('refuses a missing file, a module without a bundle and an unknown package with one line each', async () => {
    expect(expectOneLineError(await run([...fitArgs, '--plugin', './no-such-plugin.js']), 2)).toMatch(/^--plugin \.\/no-such-plugin\.js: cannot load the module/);
    const empty = tempFile('export const nothing = 1;\n', 'mjs');
    expect(expectOneLineError(await run([...fitArgs, '--plugin', empty]), 2)).toMatch(/exports no plugin bundle/);
    expect(expectOneLineError(await run([...fitArgs, '--plugin', 'glmm-no-such-package']), 2)).toMatch(/no package of that name can be found/);
  });

  it('--dispersion ml fits a Gamma model with the dispersion by maximum likelihood; other values are refused', async () => {
    const gamma = loadFixture('gamma_log_laplace');
    const args = ['fit', '--data', gamma.csvPath, '--formula', gamma.reference.formula, '--family', 'gamma', '--link', 'log', '--categorical', 'g', '--format', 'json'];
    const r = await run([...args, '--dispersion', 'ml']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).familyParameter.name).toBe('dispersion');
    expect(expectOneLineError(await run([...args, '--dispersion', 'pearson']), 2)).toMatch(/--dispersion must be moment or ml/);
  });
});

describe('--plugin on the commands that load a saved model', () => {
  it('loads a model fitted with a plugin family for predict, confint and anova; without the plugin, one line says what to pass', async () => {
    const saved = tempPath('json');
    const fit = await run([...fitArgs, '--plugin', plugin, '--family', 'counts', '--save', saved, '--quiet']);
    expect(fit.code).toBe(0);
    const poissonSaved = tempPath('json');
    expect((await run([...fitArgs, '--family', 'poisson', '--save', poissonSaved, '--quiet'])).code).toBe(0);
    const viaPlugin = await run(['predict', '--model', saved, '--data', grouse.csvPath, '--plugin', plugin, '--format', 'json']);
    expect(viaPlugin.code).toBe(0);
    const own = JSON.parse((await run(['predict', '--model', poissonSaved, '--data', grouse.csvPath, '--format', 'json'])).stdout) as { rows: { fit: number }[] };
    const got = JSON.parse(viaPlugin.stdout) as { rows: { fit: number }[] };
    expect(got.rows.length).toBe(own.rows.length);
    got.rows.forEach((r, i) => expect(Math.abs(r.fit / own.rows[i]!.fit - 1)).toBeLessThan(1e-5));
    for (const command of ['confint', 'anova']) expect((await run([command, '--model', saved, '--plugin', plugin])).code, command).toBe(0);
    const without = expectOneLineError(await run(['predict', '--model', saved, '--data', grouse.csvPath]), 1);
    expect(without).toMatch(/was fitted with a plugin not loaded here: unknown family "counts".*load it with --plugin/);
    // The plugin family has no simulate(): one line, not an internal error.
    expect(expectOneLineError(await run(['simulate', '--model', saved, '--plugin', plugin, '--nsim', '1', '--seed', '1']), 1)).toMatch(/counts family cannot simulate/);
  });

  it('is listed in the help of predict, simulate and the inference commands', async () => {
    for (const command of ['predict', 'simulate', 'anova', 'test', 'confint', 'compare', 'bootstrap']) expect((await run([command, '--help'])).stdout, command).toMatch(/--plugin FILE\|PACKAGE/);
  });
});

describe('glmm --help', () => {
  it('lists families, links, methods, covariance structures and formats from the container', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/families \(--family\)\s+binomial, gamma, gaussian, inverse_gaussian, negative_binomial, poisson\n/);
    expect(r.stdout).toMatch(/links \(--link\)\s+1\/mu\^2, cloglog, identity, inverse, log, logit, loglog, power\(p\), probit, sqrt\n/);
  });
});
