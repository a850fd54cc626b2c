import type { Family, Link, ModelMatrices } from '@glmm/core';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';

export interface FusedGlmFit {
  beta: Float64Array;
  /** Lower Cholesky factor of X'WX at beta (column-major p x p), for whitening. */
  cholXtWX: Float64Array;
  deviance: number;
}

const MAX_ITERATIONS = 50;
const MAX_HALVINGS = 20;

/**
 * The GLM without random effects (theta = 0) by IRLS, each iteration one
 * pass over the rows with the per-element link and family functions: X'WX,
 * X'Wz and the deviance accumulate side by side, so no n-length working
 * arrays exist.  It starts the Laplace fit where lme4 starts it (the GLM
 * estimate), with R_X for the whitened coordinates.  Null when the link or
 * family lacks per-element functions, or X'WX is singular.
 */
export function fusedGlm(model: ModelMatrices, family: Family, link: Link, start: Float64Array): FusedGlmFit | null {
  const evaluateAt = link.evaluateAt;
  const varianceAt = family.varianceAt;
  const devResidualAt = family.devResidualAt;
  if (!evaluateAt || !varianceAt || !devResidualAt) return null;
  const { n, p, X, y, weights: pw, offset } = model;
  const lo = new Float64Array(3);
  const vo = new Float64Array(2);
  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  const xr = new Float64Array(p);
  const beta = Float64Array.from(start);
  const trial = new Float64Array(p);

  // One pass at beta: deviance, and (with `normal`) the weighted normal equations of the next IRLS step.
  const pass = (b: Float64Array, normal: boolean): number => {
    if (normal) {
      xtwx.fill(0);
      xtwz.fill(0);
    }
    let dev = 0;
    for (let r = 0; r < n; r++) {
      let eta = offset[r]!;
      for (let a = 0; a < p; a++) {
        const x = X[a * n + r]!;
        xr[a] = x;
        eta += x * b[a]!;
      }
      evaluateAt(eta, lo);
      const mu = lo[0]!;
      const me = lo[1]!;
      const wi = pw[r]!;
      const yi = y[r]!;
      dev += devResidualAt(yi, mu, wi);
      if (!normal) continue;
      varianceAt(mu, vo);
      const w = (wi * me * me) / vo[0]!;
      const z = eta - offset[r]! + (yi - mu) / me;
      for (let a = 0; a < p; a++) {
        const wxa = w * xr[a]!;
        xtwz[a]! += wxa * z;
        for (let c = 0; c <= a; c++) xtwx[c * p + a]! += wxa * xr[c]!;
      }
    }
    return dev;
  };

  const solve = (): boolean => {
    for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) xtwx[a * p + c] = xtwx[c * p + a]!;
    if (!choleskyInPlace(xtwx, p)) return false;
    trial.set(xtwz);
    forwardSolve(xtwx, p, trial);
    backwardSolve(xtwx, p, trial);
    return true;
  };

  // Each pass at a trial beta also accumulates the normal equations there,
  // so an accepted step (the usual case) costs one pass, not two.
  let dev = pass(beta, true);
  if (!Number.isFinite(dev)) return null;
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    if (!solve()) return null;
    let newDev = pass(trial, true);
    // Step-halving toward the current beta while the deviance does not decrease (R's glm.fit).
    for (let h = 0; h < MAX_HALVINGS && !(newDev <= dev * (1 + 1e-12) + 1e-12); h++) {
      for (let a = 0; a < p; a++) trial[a] = (trial[a]! + beta[a]!) / 2;
      newDev = pass(trial, true);
    }
    if (!(newDev <= dev * (1 + 1e-12) + 1e-12)) {
      pass(beta, true);
      break;
    }
    beta.set(trial);
    const change = Math.abs(newDev - dev) / (Math.abs(newDev) + 0.1);
    dev = newDev;
    // R's glm.fit criterion, tightened: only a start, but R_X must belong to it.
    if (change < 1e-10) break;
  }
  for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) xtwx[a * p + c] = xtwx[c * p + a]!;
  if (!choleskyInPlace(xtwx, p)) return null;
  return { beta, cholXtWX: xtwx, deviance: dev };
}
