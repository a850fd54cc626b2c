import type { GlmmResults, RandomEffectRow, VarianceComponentRow } from '@glmm/core';
import type { Reference } from '@glmm/datasets';

const Z975 = 1.959963984540054;

/**
 * A results object that says exactly what lme4's reference says, for
 * testing consumers of the results contract (and compareToReference itself)
 * without fitting.  Per-row diagnostics the reference lacks (the linear
 * predictor, per-row BLUPs) are left empty.
 */
export function resultsFromReference(ref: Reference): GlmmResults {
  const varianceComponents: VarianceComponentRow[] = ref.varcorr.map((r) => {
    const group = r.group.replace(/\.\d+$/, '');
    if (r.var2 === null) return { group, term: r.var1, variance: r.vcov, stdDev: r.sdcor };
    return { group, term: r.var1, term2: r.var2, variance: r.vcov, covariance: r.vcov, correlation: r.sdcor, stdDev: r.sdcor };
  });
  const randomEffects: RandomEffectRow[] = ref.ranef.flatMap((r) =>
    r.levels.map((level, i) => ({ group: r.group, term: r.term, level, value: r.condval[i]!, condSd: r.condsd[i]! })),
  );
  const rows = ref.fitted.map((_, i) => i + 1);
  return {
    schemaVersion: 2,
    formula: ref.formula,
    family: ref.family,
    link: ref.link,
    method: ref.method,
    nAGQ: ref.nAGQ ?? 1,
    nobs: ref.nobs,
    ngroups: { ...ref.ngroups },
    excluded: { count: 0, byReason: {}, rows: [] },
    fixedEffects: ref.fixef.map((f) => ({
      name: f.name,
      estimate: f.estimate,
      stdError: f.se,
      statistic: f.statistic,
      pValue: f.p_value ?? 2 * normalUpperTail(Math.abs(f.statistic)),
      ciLower: f.estimate - Z975 * f.se,
      ciUpper: f.estimate + Z975 * f.se,
    })),
    vcovFixed: ref.vcov_fixef.map((row) => [...row]),
    varianceComponents,
    theta: [...ref.theta],
    sigma: ref.sigma,
    dispersion: ref.dispersion ?? ref.sigma * ref.sigma,
    icc: [],
    fit: {
      logLik: ref.logLik,
      df: ref.df,
      aic: ref.AIC,
      bic: ref.BIC,
      deviance: ref.minus2logLik,
      conditionalDeviance: ref.conditional_deviance,
      remlCriterion: ref.REML_criterion,
    },
    randomEffects,
    diagnostics: {
      row: rows,
      fitted: [...ref.fitted],
      linearPredictor: [],
      responseResiduals: [...ref.resid_response],
      devianceResiduals: [...ref.resid_deviance],
      pearsonResiduals: [...ref.resid_pearson],
      randomEffects: {},
    },
    diagnosticsOutput: { rows: rows.length, inline: false, file: null, format: null },
    singular: ref.singular,
    convergence: { converged: true, iterations: 0, evaluations: 0, optimizer: 'lme4 reference', message: 'copied from the reference' },
    warnings: [],
    timing: { fitSeconds: 0 },
  };
}

/**
 * P(Z > z) for the p-values of LMM rows, which the reference leaves out:
 * erf's Taylor series below z = 2 sqrt(2), erfc's continued fraction above,
 * so small p-values keep their relative accuracy.
 */
function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  if (x < 2) {
    let sum = x;
    let term = x;
    for (let n = 1; n < 200; n++) {
      term *= (-x * x) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return 0.5 * (1 - (2 / Math.sqrt(Math.PI)) * sum);
  }
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 300; n++) {
    const a = n / 2;
    d = 1 / (x + a * d);
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (0.5 * Math.exp(-x * x)) / (f * Math.sqrt(Math.PI));
}
