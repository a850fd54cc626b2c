import { describe, expect, it } from 'vitest';
import { CovarianceParameters, covarianceTerms, glmmWaldIntervals, lmmWaldIntervals } from '../src/index.js';
import { fitCase, glmmOf, lmmOf, type FittedCase } from './reference.js';

function parametersOf(c: FittedCase, scaled: boolean): CovarianceParameters {
  return new CovarianceParameters(covarianceTerms(c.problem.model.terms, c.problem.covariances), scaled);
}

describe('Wald intervals on the log-SD / atanh-correlation scale', () => {
  for (const name of ['sleepstudy_slopes_reml', 'factorial_slopes_reml', 'unbalanced_reml', 'penicillin_crossed_reml']) {
    it(`${name} (REML deviance, as the fit)`, () => {
      const c = fitCase(name);
      const params = parametersOf(c, true);
      const table = lmmWaldIntervals(lmmOf(c), params, c.theta, c.results.sigma, c.problem.model.fixedNames, c.beta, c.vcov, 0.95);
      expect(table.method).toBe('wald');
      for (const ref of c.ref.wald_varpar) {
        const row = table.rows.find((r) => r.name === ref.name);
        expect(row, ref.name).toBeDefined();
        const width = ref.upper! - ref.lower!;
        expect(Math.abs(row!.lower! - ref.lower!) / width, `${ref.name} lower`).toBeLessThan(0.01);
        expect(Math.abs(row!.upper! - ref.upper!) / width, `${ref.name} upper`).toBeLessThan(0.01);
      }
      for (const ref of c.ref.confint_wald) {
        const row = table.rows.find((r) => r.name === ref.name)!;
        const width = ref.upper! - ref.lower!;
        expect(Math.abs(row.lower! - ref.lower!) / width).toBeLessThan(1e-3);
      }
    });
  }
  for (const name of ['cbpp_binomial_laplace', 'poisson_slopes_laplace']) {
    it(`${name} (Laplace deviance in theta and beta)`, () => {
      const c = fitCase(name);
      const params = parametersOf(c, false);
      const table = glmmWaldIntervals(glmmOf(c), params, c.theta, c.results.sigma, c.problem.model.fixedNames, c.beta, c.vcov, 0.95);
      for (const ref of c.ref.wald_varpar) {
        const row = table.rows.find((r) => r.name === ref.name);
        expect(row, ref.name).toBeDefined();
        const width = ref.upper! - ref.lower!;
        expect(Math.abs(row!.lower! - ref.lower!) / width, `${ref.name} lower`).toBeLessThan(0.02);
        expect(Math.abs(row!.upper! - ref.upper!) / width, `${ref.name} upper`).toBeLessThan(0.02);
      }
    });
  }
});
