import { describe, expect, it } from 'vitest';
import { contrastF, contrastT, satterthwaiteModel } from '../src/index.js';
import { fitCase, lmmOf, relClose } from './reference.js';

const cases = ['sleepstudy_slopes_reml', 'sleepstudy_slopes_ml', 'sleepstudy_uncorrelated_reml', 'penicillin_crossed_reml', 'dyestuff2_singular_reml', 'factorial_slopes_reml', 'unbalanced_reml'];

describe("Satterthwaite's t-tests against lmerTest", () => {
  for (const name of cases) {
    it(name, () => {
      const c = fitCase(name);
      const model = satterthwaiteModel(lmmOf(c), c.theta, c.results.sigma);
      expect(model.warnings).toEqual([]);
      const p = c.beta.length;
      c.ref.satterthwaite!.forEach((row, j) => {
        const l = new Float64Array(p);
        l[j] = 1;
        const t = contrastT(l, 0, c.beta, c.vcov, { method: 'satterthwaite', model });
        expect(relClose(t.df!, row.df!, 0.01), `${row.name} df ${t.df} vs ${row.df}`).toBe(true);
        expect(relClose(t.statistic, row.statistic, 1e-4), `${row.name} t ${t.statistic} vs ${row.statistic}`).toBe(true);
        expect(relClose(t.pValue, row.p, 0.01), `${row.name} p ${t.pValue} vs ${row.p}`).toBe(true);
      });
    });
  }
});
