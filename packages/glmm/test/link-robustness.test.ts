import { describe, expect, it } from 'vitest';
import { GlmmInputError } from '@glmm/core';
import { loadFixture } from '@glmm/datasets';
import { fitGlmm, readCsvFile, type FitRequest } from '@glmm/glmm';

/*
 * Links whose inverse can leave the family's mean space (#10's internal
 * errors): the response module steps back into the valid region (lme4's
 * validmu), and a model whose maximum lies on the boundary is refused with
 * one line.  The results are JSON-safe by construction (buildResults throws
 * on NaN or Infinity), so a returned fit is a clean one.
 */
const grouse = (link: string): FitRequest => ({
  formula: 'TICKS ~ YEAR + cHEIGHT + (1 | LOCATION)',
  data: readCsvFile(loadFixture('grouseticks_intercept_poisson_laplace').csvPath),
  family: 'poisson',
  link,
  categorical: ['YEAR', 'LOCATION'],
});

describe('links that can leave the mean space', () => {
  it('poisson with the identity link whose maximum puts means at 0: one clear line, not an internal error', () => {
    // lme4 stops here with "PIRLS loop resulted in NaN value".
    let message = '';
    try {
      fitGlmm(grouse('identity'));
    } catch (e) {
      expect(e).toBeInstanceOf(GlmmInputError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/fitted means of "TICKS" on the boundary of the family's mean space.*use the log link/);
  });

  it('poisson with the sqrt link: fits above lme4, every mean positive', () => {
    // The sqrt link declares muRange (0, Infinity) (mu = eta^2, floored at DBL_MIN), inside the
    // Poisson mean space, so no step can leave it; like lme4's PIRLS the fit does not ask validEta.
    // lme4 1.1.31, glmer(TICKS ~ YEAR + cHEIGHT + (1 | LOCATION), grouseticks, poisson(link = "sqrt")):
    // logLik -1242.844 (its eta down to -1.29); this fit reaches -1236.892 (the same Laplace approximation).
    const r = fitGlmm(grouse('sqrt'));
    expect(r.convergence.converged).toBe(true);
    expect(r.fit.logLik).toBeGreaterThan(-1242.844);
    expect(Math.min(...r.diagnostics.fitted)).toBeGreaterThan(0);
    for (const e of r.fixedEffects) expect(e.stdError).toBeGreaterThan(0);
  });

  it("gamma with its inverse link, where eta < 0 would give negative means: fits inside the mean space", () => {
    const fixture = loadFixture('gamma_log_laplace');
    const r = fitGlmm({ formula: fixture.reference.formula, data: readCsvFile(fixture.csvPath), family: 'gamma', link: 'inverse' });
    expect(r.convergence.converged).toBe(true);
    expect(Math.min(...r.diagnostics.fitted)).toBeGreaterThan(0);
  });

  it('binomial with the identity and log links: fits with every mean in (0, 1)', () => {
    const fixture = loadFixture('cbpp_binomial_laplace');
    for (const link of ['identity', 'log']) {
      const r = fitGlmm({ formula: fixture.reference.formula, data: readCsvFile(fixture.csvPath), family: 'binomial', link, categorical: ['herd', 'period'] });
      expect(Math.min(...r.diagnostics.fitted), link).toBeGreaterThan(0);
      expect(Math.max(...r.diagnostics.fitted), link).toBeLessThan(1);
    }
  });

  it('a gaussian model with the log link is fitted by Laplace (glmer), not refused', () => {
    const fixture = loadFixture('sleepstudy_intercept_reml');
    const r = fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data: readCsvFile(fixture.csvPath), link: 'log', categorical: ['Subject'] });
    expect(r.method).toBe('Laplace');
    // lme4 1.1-31, glmer(Reaction ~ Days + (1 | Subject), sleepstudy, gaussian(link = "log")):
    // a singular fit with logLik -951.0 (packages/datasets/r/make-link-references.R has a non-singular case).
    expect(r.fit.logLik).toBeCloseTo(-950.9564, 3);
    expect(r.fixedEffects[0]!.estimate).toBeCloseTo(5.535018, 4);
    expect(r.fixedEffects[1]!.stdError).toBeCloseTo(0.004158, 5);
  });

  it('AGQ is refused for a gaussian family with a line naming a method that works', () => {
    const fixture = loadFixture('sleepstudy_intercept_reml');
    const data = readCsvFile(fixture.csvPath);
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, method: 'agq', options: { nAGQ: 5 } })).toThrow(/use method "reml" or "ml"/);
    expect(() => fitGlmm({ formula: 'Reaction ~ Days + (1 | Subject)', data, link: 'log', method: 'agq', options: { nAGQ: 5 } })).toThrow(
      /needs a family without a dispersion or other parameter to estimate.*use method "laplace"/,
    );
  });
});
