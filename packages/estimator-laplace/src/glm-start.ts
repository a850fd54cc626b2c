import type { Family, Link, ModelMatrices } from '@glmm/core';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';

/**
 * First IRLS step from the family's starting mu (R's `mustart`): a weighted
 * least-squares fit of the working response.  PIRLS at theta = 0 then
 * finishes the GLM fit that starts the mixed model, as MIDAS and lme4 do.
 * Returns null when X'WX is singular (aliased predictors).
 */
export function glmStartingBeta(model: ModelMatrices, family: Family, link: Link): Float64Array | null {
  const { n, p, X, y, weights, offset } = model;
  const mu = family.startingMu(y, weights);
  const eta = link.linkfun(mu);
  const me = link.muEta(eta);
  const v = family.variance(mu);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    w[r] = (weights[r]! * me[r]! * me[r]!) / v[r]!;
    z[r] = eta[r]! - offset[r]! + (y[r]! - mu[r]!) / me[r]!;
  }
  const xtwx = new Float64Array(p * p);
  const xtwz = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    const xa = a * n;
    let s = 0;
    for (let r = 0; r < n; r++) s += X[xa + r]! * w[r]! * z[r]!;
    xtwz[a] = s;
    for (let c = 0; c <= a; c++) {
      const xc = c * n;
      let t = 0;
      for (let r = 0; r < n; r++) t += X[xa + r]! * w[r]! * X[xc + r]!;
      xtwx[c * p + a] = t;
      xtwx[a * p + c] = t;
    }
  }
  if (!choleskyInPlace(xtwx, p)) return null;
  forwardSolve(xtwx, p, xtwz);
  backwardSolve(xtwx, p, xtwz);
  return xtwz;
}
