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
    fixedPredictor(X, xtwz, offset, n, p, next);
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
 * positive definite.  Each sum is its own loop over two contiguous columns:
 * V8 runs these several times faster than one pass that keeps the
 * p(p+1)/2 + p sums side by side in an array.
 */
function weightedLeastSquares(model: ModelMatrices, w: Float64Array, z: Float64Array, xtwx: Float64Array, xtwz: Float64Array): boolean {
  const { n, p, X } = model;
  for (let a = 0; a < p; a++) {
    xtwz[a] = weightedDot(X, a * n, X, a * n, w, z, n);
    for (let c = 0; c <= a; c++) {
      const t = weightedDot(X, a * n, X, c * n, w, null, n);
      xtwx[c * p + a] = t;
      xtwx[a * p + c] = t;
    }
  }
  if (!choleskyInPlace(xtwx, p)) return false;
  forwardSolve(xtwx, p, xtwz);
  backwardSolve(xtwx, p, xtwz);
  return true;
}

/** sum_r u[uo + r] w[r] v[vo + r] (v = z, vo = 0, when z is given). */
function weightedDot(u: Float64Array, uo: number, v: Float64Array, vo: number, w: Float64Array, z: Float64Array | null, n: number): number {
  let s = 0;
  if (z) for (let r = 0; r < n; r++) s += u[uo + r]! * w[r]! * z[r]!;
  else for (let r = 0; r < n; r++) s += u[uo + r]! * w[r]! * v[vo + r]!;
  return s;
}

/** out = offset + X beta. */
export function fixedPredictor(X: Float64Array, beta: Float64Array, offset: Float64Array, n: number, p: number, out: Float64Array): void {
  out.set(offset);
  for (let a = 0; a < p; a++) addScaledColumn(X, a * n, beta[a]!, out, n);
}

function addScaledColumn(X: Float64Array, xo: number, b: number, out: Float64Array, n: number): void {
  for (let r = 0; r < n; r++) out[r]! += X[xo + r]! * b;
}
