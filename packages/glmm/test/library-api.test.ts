import { describe, expect, it } from 'vitest';
import { createContainer, GlmmInputError, listPlugins } from '@glmm/core';
import { covarianceBundle } from '@glmm/covariance';
import { fixtureNames, loadFixture } from '@glmm/datasets';
import { estimatorLaplaceBundle } from '@glmm/estimator-laplace';
import { familyPoissonBundle } from '@glmm/family-poisson';
import { createDefaultContainer, fitGlmm, readCsvFile } from '@glmm/glmm';
import { linksBundle } from '@glmm/links';
import { optimizerBundle } from '@glmm/optimizer';
import { validateResults } from '@glmm/report';
import { fitFixture } from './fit-fixture.js';

const sleep = loadFixture('sleepstudy_intercept_reml');
const grouse = loadFixture('grouseticks_intercept_poisson_laplace');

describe('results contract', () => {
  it('validates against the JSON Schema for every fixture, family and estimator', () => {
    for (const name of fixtureNames()) {
      const results = fitFixture(loadFixture(name));
      const outcome = validateResults(JSON.parse(JSON.stringify(results)));
      expect(outcome.errors, name).toEqual([]);
      expect(results.timing.fitSeconds).toBeGreaterThan(0);
    }
  });
});

describe('excluded rows', () => {
  it('fits 56 of 60 rows when 4 hold NA, text, Inf or an empty cell, and reports why', () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({
      y: String(10 + (i % 7) + (i % 5) * 0.5 + Math.floor(i / 6)),
      x: String((i % 9) / 3),
      g: `G${Math.floor(i / 6)}`,
    }));
    rows[3]!.y = 'NA';
    rows[17]!.x = 'abc';
    rows[25]!.y = 'Inf';
    rows[40]!.x = '';
    const results = fitGlmm({ formula: 'y ~ x + (1 | g)', data: rows });
    expect(results.nobs).toBe(56);
    expect(results.excluded.count).toBe(4);
    expect(results.excluded.rows.map((r) => [r.row, r.column, r.reason])).toEqual([
      [4, 'y', 'missing'],
      [18, 'x', 'non-numeric'],
      [26, 'y', 'non-finite'],
      [41, 'x', 'missing'],
    ]);
    expect(results.warnings.map((w) => w.code)).toContain('rows-excluded');
  });
});

describe('plugins', () => {
  it('fits with only the plugins a host app registered', () => {
    const container = createContainer(linksBundle, familyPoissonBundle, estimatorLaplaceBundle, optimizerBundle, covarianceBundle);
    const ref = grouse.reference;
    const results = fitGlmm({
      formula: ref.formula,
      data: readCsvFile(grouse.csvPath),
      family: 'poisson',
      categorical: ['BROOD', 'YEAR', 'INDEX', 'LOCATION'],
      container,
    });
    expect(results.fit.logLik).toBeCloseTo(ref.logLik, 2);
    expect(() => fitGlmm({ formula: ref.formula, data: readCsvFile(grouse.csvPath), family: 'gamma', container })).toThrow(
      /unknown family "gamma"; loaded family plugins: poisson/,
    );
    expect(() => fitGlmm({ formula: 'y ~ 1 + (1 | g)', data: [], family: 'poisson', method: 'reml', container })).toThrow(
      /unknown estimator "reml"; loaded estimator plugins: agq, laplace/,
    );
  });

  it('the default container loads every shipped plugin once', () => {
    const c = createDefaultContainer(linksBundle, familyPoissonBundle);
    expect(listPlugins(c, 'family')).toEqual(['binomial', 'gamma', 'gaussian', 'inverse_gaussian', 'negative_binomial', 'poisson']);
    expect(listPlugins(c, 'estimator')).toEqual(['agq', 'laplace', 'ml', 'mpl', 'pql', 'reml', 'rempl']);
  });
});

describe('refused requests', () => {
  const data = readCsvFile(sleep.csvPath);
  it('refuses a link the family does not allow', () => {
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, family: 'poisson', link: 'logit' })).toThrow(
      /link "logit" cannot be used with the poisson family .*; links for poisson: log, identity, sqrt/,
    );
  });
  it('refuses AGQ for a random slope', () => {
    expect(() =>
      fitGlmm({ formula: 'Reaction ~ Days + (Days | Subject)', data, family: 'gamma', link: 'log', method: 'agq', options: { nAGQ: 5 } }),
    ).toThrow(/needs exactly one scalar random-effects term/);
  });
  it('refuses REML for a non-Gaussian family', () => {
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, family: 'gamma', method: 'reml' })).toThrow(GlmmInputError);
  });
  it('refuses a model without random effects and bad options', () => {
    expect(() => fitGlmm({ formula: 'Reaction ~ Days', data })).toThrow(/no random-effects term/);
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, options: { tolerance: 0 } })).toThrow(/tolerance/);
  });
  it('names the response, the invalid row count and the reason', () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ y: i === 4 || i === 9 ? -1 : i % 4, g: `g${i % 4}` }));
    expect(() => fitGlmm({ formula: 'y ~ 1 + (1 | g)', data: rows, family: 'poisson' })).toThrow(
      /response "y" is not valid for the poisson family in 2 of 20 rows \(first at row 5\)/,
    );
  });
});

describe('covariance structures', () => {
  it('a diagonal structure on (Days | Subject) is the uncorrelated model (Days || Subject)', () => {
    const fixture = loadFixture('sleepstudy_uncorrelated_reml');
    const data = readCsvFile(fixture.csvPath);
    const diagonal = fitGlmm({ formula: 'Reaction ~ Days + (Days | Subject)', data, covariance: { Subject: 'diagonal' } });
    expect(diagonal.fit.logLik).toBeCloseTo(fixture.reference.logLik, 6);
    expect(diagonal.varianceComponents.filter((v) => v.term2 !== undefined)).toHaveLength(0);
    const sds = diagonal.varianceComponents.filter((v) => v.group === 'Subject').map((v) => v.stdDev);
    const refSds = fixture.reference.varcorr.filter((v) => v.group.startsWith('Subject')).map((v) => v.sdcor);
    expect(sds[0]).toBeCloseTo(refSds[0]!, 3);
    expect(sds[1]).toBeCloseTo(refSds[1]!, 3);
  });
  it('rejects a covariance for a factor the model does not have', () => {
    const data = readCsvFile(sleep.csvPath);
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, covariance: { Subjekt: 'diagonal' } })).toThrow(
      /covariance given for "Subjekt", which is not a grouping factor of the model; grouping factors: Subject/,
    );
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, covariance: { Subject: 'ar1' } })).toThrow(
      /unknown covariance "ar1"; loaded covariance plugins: diagonal, unstructured/,
    );
  });
});

describe('prior weights', () => {
  it('refuses zero weights with the column, the count and the first row', () => {
    const data = readCsvFile(sleep.csvPath);
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, weights: 'Days' })).toThrow(
      /weights column "Days" has 18 of 180 rows that are not positive \(first at row 1\)/,
    );
  });
  it('match lme4 with unequal prior weights (LMM and Poisson GLMM)', () => {
    // lme4 1.1-31: lmer(Reaction ~ Days + (1|Subject), weights = Days + 1) and
    // glmer(incidence ~ period + (1|herd), poisson, weights = herd %% 3 + 1) on the bundled examples.
    const s = readCsvFile(sleep.csvPath);
    const w = Float64Array.from(s.columns['Days'] as Float64Array, (d) => d + 1);
    const lmm = fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data: { ...s.columns, w }, weights: 'w', categorical: ['Subject'] });
    expect(lmm.fit.logLik).toBeCloseTo(-912.625647, 5);
    expect(lmm.fixedEffects[1]!.estimate).toBeCloseTo(11.006522, 5);
    expect(lmm.fixedEffects[1]!.stdError).toBeCloseTo(0.938162, 5);
    const c = readCsvFile(loadFixture('cbpp_binomial_laplace').csvPath);
    const hw = Float64Array.from(Array.from(c.columns['herd'] as ArrayLike<number>), (h) => (Number(h) % 3) + 1);
    const glmm = fitGlmm({
      formula: 'incidence ~ period + (1 | herd)',
      data: { ...c.columns, w: hw },
      weights: 'w',
      family: 'poisson',
      categorical: ['herd', 'period'],
    });
    expect(glmm.fit.logLik).toBeGreaterThan(-193.882875 - 0.001);
    expect(glmm.fit.logLik).toBeLessThan(-193.882875 + 0.02);
    expect(Math.abs(glmm.fixedEffects[1]!.estimate - -1.066353)).toBeLessThan(0.01 * 0.191079);
    expect(Math.abs(glmm.fixedEffects[1]!.stdError - 0.191079)).toBeLessThan(0.03 * 0.191079);
  });

  it('weights of 1 change nothing', () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ y: (i % 7) + (i % 3) * 0.5, g: `g${i % 5}`, w: 1 }));
    const a = fitGlmm({ formula: 'y ~ 1 + (1 | g)', data: rows });
    const b = fitGlmm({ formula: 'y ~ 1 + (1 | g)', data: rows, weights: 'w' });
    expect(b.fit.logLik).toBeCloseTo(a.fit.logLik, 10);
  });
});

describe('numerical trouble becomes a structured warning', () => {
  it('reports non-convergence with advice when the evaluation budget runs out', () => {
    const data = readCsvFile(loadFixture('sleepstudy_slopes_reml').csvPath);
    const r = fitGlmm({ formula: 'Reaction ~ Days + (Days | Subject)', data, options: { maxEvaluations: 5 } });
    const w = r.warnings.find((x) => x.code === 'not-converged');
    expect(w).toBeDefined();
    expect(w!.advice).toMatch(/Increase the maximum/);
    expect(r.convergence.converged).toBe(false);
  });

  it('flags complete separation in a binomial model', () => {
    // y is 1 exactly when x > 0: the slope runs off to infinity.
    const rows = Array.from({ length: 60 }, (_, i) => {
      const x = (i % 12) - 5.5;
      return { y: x > 0 ? 1 : 0, x, g: `g${i % 6}` };
    });
    const r = fitGlmm({ formula: 'y ~ x + (1 | g)', data: rows, family: 'binomial' });
    expect(r.warnings.map((w) => w.code)).toContain('separation');
    expect(Number.isFinite(r.fit.logLik)).toBe(true);
  });

  it('reports a singular fit (dyestuff2) with advice', () => {
    const f = loadFixture('dyestuff2_singular_reml');
    const r = fitGlmm({ formula: f.reference.formula, data: readCsvFile(f.csvPath) });
    expect(r.singular).toBe(true);
    expect(r.warnings.find((w) => w.code === 'singular-fit')?.advice).toMatch(/removing the term/);
  });
});
