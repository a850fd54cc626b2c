import { describe, expect, it } from 'vitest';
import { compareToPlReference, fitPlCase, plCases } from './pl-reference.js';

const cases = plCases();

describe('PQL reproduces MASS::glmmPQL', () => {
  const pql = cases.filter((c) => c.reference.method === 'PQL');
  it('has the binary, binomial-with-trials, Poisson (offset, slopes; nested), Gamma and Gaussian cases', () => {
    expect(pql.map((c) => c.name)).toEqual(
      expect.arrayContaining(['bacteria/pql_estimated', 'cbpp/pql_estimated', 'poisson_offset_slopes/pql_estimated', 'poisson_nested/pql_estimated', 'gamma_log/pql_estimated', 'sleepstudy_gaussian/pql_estimated']),
    );
  });
  for (const c of pql) {
    it(`${c.name}: estimates, SEs, sigma, variance components and BLUPs within 1e-4, same iterations`, () => {
      const results = fitPlCase(c);
      compareToPlReference(results, c.reference, 1e-4, 1e-4);
      // The same stopping rule from the same GLM start stops at the same iteration.
      expect(results.convergence.iterations).toBe(c.reference.iterations);
      expect(results.convergence.converged).toBe(true);
    });
  }
});

describe("MPL and REMPL reproduce the R pseudo-likelihood iteration (fitglme's definitions)", () => {
  const pl = cases.filter((c) => c.reference.method !== 'PQL');
  it('covers ML and REML, dispersion fixed at 1 and estimated', () => {
    const kinds = new Set(pl.map((c) => `${c.reference.method}/${c.reference.dispersion}`));
    expect([...kinds].sort()).toEqual(['MPL/estimated', 'MPL/fixed', 'REMPL/estimated', 'REMPL/fixed']);
  });
  for (const c of pl) {
    it(`${c.name}: the fixed point within 1e-6, pseudo log-likelihood within 1e-5`, () => {
      const results = fitPlCase(c);
      compareToPlReference(results, c.reference, 1e-6, 1e-5);
      expect(results.convergence.converged).toBe(true);
      expect(Math.abs(results.convergence.iterations - c.reference.iterations)).toBeLessThanOrEqual(3);
      const fixed = c.reference.dispersion === 'fixed';
      if (fixed) expect(results.dispersion).toBe(1);
      else expect(results.dispersion).toBeCloseTo(results.sigma ** 2, 12);
      // df counts the dispersion only when it is estimated.
      expect(results.fit.df).toBe(results.fixedEffects.length + results.theta.length + (fixed ? 0 : 1));
      expect(results.fit.remlCriterion).toBe(c.reference.method === 'REMPL' ? -2 * results.fit.logLik : null);
    });
  }
});
