import type { CovarianceStructure, ModelMatrices, RawFit } from '@glmm/core';
import type { RandomTermInfo } from './model-view.js';

/** The estimates a model keeps: what predictions, simulations and inference read. */
export interface ModelEstimates {
  /** The estimator's label: "REML", "ML", "Laplace", "AGQ". */
  readonly method: string;
  /** 0 for linear mixed models, 1 for Laplace, > 1 for AGQ. */
  readonly nAGQ: number;
  readonly beta: Float64Array;
  /** Column-major p x p. */
  readonly vcov: Float64Array;
  readonly theta: Float64Array;
  readonly sigma: number;
  readonly dispersion: number;
  /**
   * A family parameter the fit estimated by maximum likelihood, on its
   * natural scale (the negative binomial shape, an ML dispersion); null when
   * none was.
   */
  readonly familyParameter: number | null;
  readonly logLik: number;
  readonly df: number;
  readonly terms: readonly RandomTermInfo[];
}

/** The estimates of a fit, with each term's covariance, modes and place in theta. */
export function estimatesOf(fit: RawFit, model: Pick<ModelMatrices, 'terms'>, covariances: readonly CovarianceStructure[]): ModelEstimates {
  let offset = 0;
  const terms = model.terms.map((term, t): RandomTermInfo => {
    const k = term.columns.length;
    const count = covariances[t]!.nTheta(k);
    const info: RandomTermInfo = {
      group: term.group,
      columnNames: term.columnNames,
      levels: term.levels,
      covariance: covariances[t]!.name,
      thetaOffset: offset,
      thetaCount: count,
      correlated: fit.termCovariances[t]!.correlated,
      covarianceMatrix: fit.termCovariances[t]!.covariance,
      modes: fit.modes[t]!.values,
      condSd: fit.modes[t]!.condSd,
    };
    offset += count;
    return info;
  });
  return {
    method: fit.method,
    nAGQ: fit.nAGQ,
    beta: fit.beta,
    vcov: fit.vcovBeta,
    theta: fit.theta,
    sigma: fit.sigma,
    dispersion: fit.dispersion,
    familyParameter: fit.familyParameter?.estimate ?? null,
    logLik: fit.logLik,
    df: fit.df,
    terms,
  };
}
