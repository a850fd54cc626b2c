import type { GlmmResults } from '@glmm/core';

/** fitglme's "Model information" block, derived from the results contract. */
export interface ModelInformation {
  observations: number;
  fixedCoefficients: number;
  /** Conditional modes: levels times columns, summed over the terms. */
  randomCoefficients: number;
  /** theta, plus the dispersion when the family estimates one (fitlme counts the residual variance). */
  covarianceParameters: number;
  distribution: string;
  link: string;
  fitMethod: string;
}

/** Whether the model estimates a residual variance or dispersion: the contract then lists a Residual row. */
export function hasResidualRow(r: GlmmResults): boolean {
  return r.varianceComponents.some((v) => v.group === 'Residual' && v.term === null);
}

export function modelInformation(r: GlmmResults): ModelInformation {
  return {
    observations: r.nobs,
    fixedCoefficients: r.fixedEffects.length,
    randomCoefficients: r.randomEffects.length,
    covarianceParameters: r.theta.length + (hasResidualRow(r) ? 1 : 0),
    distribution: r.family,
    link: r.link,
    fitMethod: r.method === 'AGQ' ? `AGQ (nAGQ = ${r.nAGQ})` : r.method,
  };
}

/**
 * Whether the ICC's residual variance is on a latent scale: it is not the
 * model's own residual variance (the Gaussian case), read from the numbers
 * rather than from the family's name.
 */
export function iccOnLatentScale(r: GlmmResults): boolean {
  const residual = r.varianceComponents.find((v) => v.group === 'Residual' && v.term === null);
  const first = r.icc[0];
  if (!residual || !first) return true;
  return Math.abs(residual.variance - first.residualVariance) > 1e-12 * Math.max(1, residual.variance);
}
