import { describe, expect, it } from 'vitest';
import { defineBundle, definePlugin, type Family } from '@glmm/core';
import { loadFamilyReference } from '@glmm/datasets';
import { negativeBinomialFamily } from '@glmm/family-negative-binomial';
import { inverseGaussianFamily } from '@glmm/family-inverse-gaussian';
import { createDefaultContainer, fitGlmm, readCsvFile } from '@glmm/glmm';

/*
 * The families' parameter.at(value) run through today's estimators, the
 * parameter held at the value R found: the fits must be R's at that value.
 * This checks the contract the estimator side of #13 builds on (variance with
 * the dispersion, deviance residuals over it, aic the exact -2 log-likelihood)
 * and the R code of the references (packages/datasets/r/scalar-glmm-likelihood.R):
 *  - the Laplace fit is lme4's expected-information Laplace (marginal.laplace_fisher),
 *    whose optimum over (beta, sd) at the optimal parameter is its joint optimum;
 *  - the 25-point AGQ fit is the exact marginal likelihood (marginal.agq25), less
 *    the saturated model's log-likelihood, which lme4's AGQ deviance leaves out.
 */
interface Marginal {
  logLik: number;
  fixef: { name: string; estimate: number; se: number }[];
  sd: number;
  log_sd_se: number;
  shape?: number;
  dispersion?: number;
  saturated_loglik: number;
}
interface Ref {
  formula: string;
  link: string;
  column_types: Record<string, string>;
  marginal: { agq25: Marginal; laplace_fisher: Marginal };
}

function fitAt(name: string, family: Family, key: 'agq25' | 'laplace_fisher') {
  const { csvPath, reference: ref } = loadFamilyReference<Ref>(name);
  const want = ref.marginal[key];
  const fixed = family.parameter!.at((want.shape ?? want.dispersion)!);
  const container = createDefaultContainer(defineBundle('fixed-parameter', [definePlugin('family', 'fixed', { ...fixed, name: 'fixed' })]));
  const results = fitGlmm({
    formula: ref.formula,
    data: readCsvFile(csvPath),
    family: 'fixed',
    link: ref.link,
    categorical: Object.keys(ref.column_types).filter((c) => ref.column_types[c] === 'categorical'),
    method: key === 'agq25' ? 'agq' : 'laplace',
    options: key === 'agq25' ? { nAGQ: 25 } : {},
    container,
  });
  return { results, want };
}

describe("today's estimators on parameter.at(R's estimate) reproduce the R references", () => {
  const cases: [string, Family, 'agq25' | 'laplace_fisher'][] = [
    ['nb_offset_laplace', negativeBinomialFamily, 'laplace_fisher'],
    ['nb_offset_laplace', negativeBinomialFamily, 'agq25'],
    ['ig_canonical', inverseGaussianFamily, 'laplace_fisher'],
    ['ig_log', inverseGaussianFamily, 'laplace_fisher'],
    ['ig_log', inverseGaussianFamily, 'agq25'],
  ];
  for (const [name, family, key] of cases) {
    it(`${name}, ${key}`, () => {
      const { results, want } = fitAt(name, family, key);
      const logLik = key === 'agq25' ? want.logLik - want.saturated_loglik : want.logLik;
      expect(Math.abs(results.fit.logLik - logLik), `logLik ${results.fit.logLik} vs ${logLik}`).toBeLessThan(key === 'agq25' ? 1e-4 : 1e-6);
      want.fixef.forEach((f, i) => {
        const got = results.fixedEffects[i]!;
        expect(got.name).toBe(f.name);
        expect(Math.abs(got.estimate - f.estimate), `${f.name}: ${got.estimate} vs ${f.estimate}`).toBeLessThan(0.001 * f.se);
        // R's SEs also reflect the uncertainty of the parameter, fixed here; it is nearly orthogonal to beta.
        expect(Math.abs(got.stdError - f.se), `SE of ${f.name}: ${got.stdError} vs ${f.se}`).toBeLessThan(0.02 * f.se);
      });
      const sd = results.varianceComponents[0]!.stdDev;
      expect(Math.abs(Math.log(sd / want.sd)), `SD ${sd} vs ${want.sd}`).toBeLessThan(0.001 * want.log_sd_se);
    });
  }
});
