import { describe, expect, it } from 'vitest';
import { CovarianceParameters, covarianceTerms, lmmProfileIntervals } from '../src/index.js';
import { fitCase, lmmOf } from './reference.js';

describe("profile intervals against lme4's confint(method = 'profile')", () => {
  for (const name of ['sleepstudy_slopes_reml', 'sleepstudy_slopes_ml', 'sleepstudy_uncorrelated_reml', 'penicillin_crossed_reml', 'dyestuff2_singular_reml', 'factorial_slopes_reml', 'unbalanced_reml']) {
    it(name, () => {
      const c = fitCase(name);
      const params = new CovarianceParameters(covarianceTerms(c.problem.model.terms, c.problem.covariances), true);
      for (const ref of c.ref.confint_profile!) {
        const table = lmmProfileIntervals(lmmOf(c), params, c.theta, c.problem.model.fixedNames, ref.level);
        expect(table.method).toBe('profile');
        expect(table.rows.map((r) => r.name)).toEqual(ref.rows.map((r) => r.name));
        table.rows.forEach((row, i) => {
          const r = ref.rows[i]!;
          const width = r.upper! - r.lower!;
          expect(Math.abs(row.lower! - r.lower!) / width, `${r.name} lower ${row.lower} vs ${r.lower}`).toBeLessThan(0.01);
          expect(Math.abs(row.upper! - r.upper!) / width, `${r.name} upper ${row.upper} vs ${r.upper}`).toBeLessThan(0.01);
        });
      }
    });
  }
});
