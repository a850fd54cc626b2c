import { GlmmInputError, type ModelMatrices } from '@glmm/core';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';
import type { WorkingResponse } from './working-response.js';

/** R's glm.control(): deviance tolerance and iteration cap. */
const GLM_EPSILON = 1e-8;
const GLM_MAX_ITERATIONS = 25;
/** Halvings of a step that leaves the link's or family's domain (R's glm.fit halves without a cap; this is 2^-30). */
const MAX_HALVINGS = 30;

export interface GlmStart {
  /** Linear predictor (offset included) of the fixed-effects GLM fit. */
  readonly eta: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * The fixed-effects GLM fit that glmmPQL starts from (R's glm.fit): IRLS from
 * the family's starting mu, each step a weighted least-squares fit of the
 * working response, until the deviance changes by less than 1e-8 relative
 * (|dev - dev_old| / (|dev| + 0.1)), at most 25 iterations; a step that
 * leaves the link's or family's domain is halved.  The response's buffers
 * hold the working values at the returned eta.
 */
export function fitGlmStart(model: ModelMatrices, response: WorkingResponse): GlmStart {
  const { n, p, X, offset } = model;
  let eta = response.link.linkfun(response.family.startingMu(model.y, model.weights));
  if (!response.update(eta))
    throw new GlmmInputError(`the ${response.family.name} family's starting values are outside the ${response.link.name} link's range; choose another link`);
  const scratch = new Float64Array(n);
  let devOld = response.deviance(scratch);
  let next: Float64Array = new Float64Array(n);
  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  let converged = false;
  let iterations = 0;
  while (iterations < GLM_MAX_ITERATIONS) {
    iterations++;
    if (!weightedLeastSquares(model, response.w, response.z, xtwx, xtwz))
      throw new GlmmInputError(
        `the fixed-effects design has ${p} columns that are (numerically) linearly dependent under the GLM weights; remove redundant predictors`,
      );
    next.set(offset);
    for (let a = 0; a < p; a++) {
      const ba = xtwz[a]!;
      const xo = a * n;
      for (let r = 0; r < n; r++) next[r]! += X[xo + r]! * ba;
    }
    let dev = response.update(next) ? response.deviance(scratch) : NaN;
    for (let h = 0; h < MAX_HALVINGS && !Number.isFinite(dev); h++) {
      for (let r = 0; r < n; r++) next[r] = 0.5 * (next[r]! + eta[r]!);
      dev = response.update(next) ? response.deviance(scratch) : NaN;
    }
    if (!Number.isFinite(dev)) {
      // No valid step: stay at the last valid eta (the PQL iteration takes over from there).
      response.update(eta);
      break;
    }
    [eta, next] = [next, eta];
    if (Math.abs(dev - devOld) / (Math.abs(dev) + 0.1) < GLM_EPSILON) {
      converged = true;
      break;
    }
    devOld = dev;
  }
  return { eta, iterations, converged };
}

/**
 * beta = (X'WX)^{-1} X'Wz into xtwz, by Cholesky; false when X'WX is not
 * positive definite.  One pass over the rows: the p(p+1)/2 + p sums
 * accumulate side by side (`acc` holds X'WX's lower triangle, then X'Wz).
 */
function weightedLeastSquares(model: ModelMatrices, w: Float64Array, z: Float64Array, xtwx: Float64Array, xtwz: Float64Array): boolean {
  const { n, p, X } = model;
  const acc = new Float64Array(p * p + p);
  for (let r = 0; r < n; r++) {
    const wr = w[r]!;
    for (let a = 0; a < p; a++) {
      const wxa = wr * X[a * n + r]!;
      for (let c = 0; c <= a; c++) acc[c * p + a]! += wxa * X[c * n + r]!;
      acc[p * p + a]! += wxa * z[r]!;
    }
  }
  for (let a = 0; a < p; a++) {
    xtwz[a] = acc[p * p + a]!;
    for (let c = 0; c <= a; c++) {
      xtwx[c * p + a] = acc[c * p + a]!;
      xtwx[a * p + c] = acc[c * p + a]!;
    }
  }
  if (!choleskyInPlace(xtwx, p)) return false;
  forwardSolve(xtwx, p, xtwz);
  backwardSolve(xtwx, p, xtwz);
  return true;
}
