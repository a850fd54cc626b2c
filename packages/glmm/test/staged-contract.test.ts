import { describe, expect, it } from 'vitest';
import { GlmmInputError, lmmDevianceAtSigma, type GlmmResults } from '@glmm/core';
import { loadExtraFixture, loadFixture } from '@glmm/datasets';
import { createModelDeviance, fitGlmm, readCsvFile, type FitRequest } from '@glmm/glmm';

/*
 * The staged contract (#13) from outside an estimator: the deviance object of
 * a request evaluated at a fit's estimates gives back the fit's numbers, and
 * a fit warm-started at its own optimum stays there.
 */
const sleepstudy: FitRequest = {
  formula: 'Reaction ~ Days + (Days | Subject)',
  data: readCsvFile(loadFixture('sleepstudy_slopes_reml').csvPath),
  categorical: ['Subject'],
};
const cbpp: FitRequest = {
  formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
  data: readCsvFile(loadFixture('cbpp_binomial_laplace').csvPath),
  family: 'binomial',
  categorical: ['herd', 'period'],
};
const crossed: FitRequest = {
  formula: 'y ~ x + (1 | subj) + (1 | item)',
  data: readCsvFile(loadExtraFixture('binary_crossed_laplace').csvPath),
  family: 'binomial',
  categorical: ['subj', 'item'],
};

const betaOf = (r: GlmmResults) => Float64Array.from(r.fixedEffects.map((e) => e.estimate));
const rowMajor = (vcov: Float64Array, p: number, scale: number) =>
  Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => scale * vcov[j * p + i]!));

describe('ModelDeviance of a linear mixed model (profiled over beta and sigma)', () => {
  const fit = fitGlmm(sleepstudy);
  const { deviance } = createModelDeviance(sleepstudy);

  it('is a function of theta alone, named by term', () => {
    expect(deviance.layout.nTheta).toBe(3);
    expect(deviance.layout.nBeta).toBe(0);
    expect(deviance.layout.names).toEqual(['Subject:(Intercept)', 'Subject:Days.(Intercept)', 'Subject:Days']);
    expect([...deviance.layout.lower]).toEqual([0, -Infinity, 0]);
  });

  it("gives back the fit's REML criterion, beta, sigma and vcov(beta) at its theta", () => {
    const theta = Float64Array.from(fit.theta);
    const state = deviance.evaluate(theta)!;
    expect(deviance.value(theta)).toBeCloseTo(fit.fit.remlCriterion!, 9);
    expect(state.deviance).toBeCloseTo(fit.fit.remlCriterion!, 9);
    for (let a = 0; a < 2; a++) expect(state.beta[a]).toBeCloseTo(fit.fixedEffects[a]!.estimate, 8);
    expect(state.sigma).toBeCloseTo(fit.sigma, 8);
    const vcov = rowMajor(state.unscaledVcovBeta, 2, state.sigma ** 2);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(vcov[i]![j]).toBeCloseTo(fit.vcovFixed[i]![j]!, 8);
  });

  it('gives the deviance at any sigma, which the profiled sigma minimises', () => {
    const state = deviance.evaluate(Float64Array.of(0.8, 0.1, 0.3))!;
    const pieces = state.lmm!;
    expect(lmmDevianceAtSigma(pieces, state.sigma)).toBeCloseTo(state.deviance, 9);
    expect(lmmDevianceAtSigma(pieces, state.sigma * 1.1)).toBeGreaterThan(state.deviance);
    expect(lmmDevianceAtSigma(pieces, state.sigma * 0.9)).toBeGreaterThan(state.deviance);
    expect(state.deviance).toBeGreaterThan(fit.fit.remlCriterion!);
  });
});

describe('ModelDeviance of a GLMM: the Laplace deviance of (theta, beta)', () => {
  for (const [label, request] of [['one scalar term (grouped kernel)', cbpp], ['crossed terms (selected-inverse gradient)', crossed]] as const) {
    it(`${label}: -2 logLik at the fit's estimates, a vanishing gradient there, R_X-based vcov`, () => {
      const fit = fitGlmm(request);
      const { deviance } = createModelDeviance(request);
      const { nTheta, nBeta } = deviance.layout;
      const x = new Float64Array(nTheta + nBeta);
      x.set(fit.theta);
      x.set(betaOf(fit), nTheta);
      expect(deviance.value(x)).toBeCloseTo(-2 * fit.fit.logLik, 5);
      const g = new Float64Array(x.length);
      deviance.gradient!(x, g);
      for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-3);
      const state = deviance.evaluate(x)!;
      expect(state.deviance).toBeCloseTo(-2 * fit.fit.logLik, 6);
      expect(state.sigma).toBe(1);
      // The R_X approximation and the Hessian-based vcov agree to a few per cent here.
      for (let a = 0; a < nBeta; a++) {
        const se = Math.sqrt(state.unscaledVcovBeta[a * nBeta + a]!);
        expect(se / fit.fixedEffects[a]!.stdError).toBeGreaterThan(0.8);
        expect(se / fit.fixedEffects[a]!.stdError).toBeLessThan(1.25);
      }
      // Away from the optimum the deviance is larger.
      x[0]! *= 1.5;
      expect(deviance.value(x)).toBeGreaterThan(-2 * fit.fit.logLik);
    });
  }
});

describe('warm start (FitOptions.start)', () => {
  for (const [label, request] of [['REML', sleepstudy], ['Laplace', cbpp], ['crossed Laplace', crossed]] as const) {
    it(`${label}: started at its own optimum, a fit stays there and needs no more evaluations`, () => {
      const fit = fitGlmm(request);
      const again = fitGlmm({ ...request, options: { start: { theta: fit.theta, beta: betaOf(fit) } } });
      expect(again.fit.logLik).toBeCloseTo(fit.fit.logLik, 6);
      for (let a = 0; a < fit.fixedEffects.length; a++)
        expect(again.fixedEffects[a]!.estimate).toBeCloseTo(fit.fixedEffects[a]!.estimate, 4);
      expect(again.convergence.evaluations).toBeLessThanOrEqual(fit.convergence.evaluations);
    });
  }

  it('refuses a start of the wrong length with one line', () => {
    expect(() => fitGlmm({ ...cbpp, options: { start: { theta: [1, 2] } } })).toThrow(GlmmInputError);
    expect(() => fitGlmm({ ...cbpp, options: { start: { beta: [0] } } })).toThrow(/start.beta has 1 values; this model has 4 fixed effects/);
  });
});
