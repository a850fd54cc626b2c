import { GlmmInputError, type Family, type Link, type ModelMatrices } from '@glmm/core';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';
import { GlmResponse, workingWeight } from './glm-response.js';

/** Halvings toward a valid anchor before a start is given up. */
const MAX_HALVINGS = 30;

/**
 * The first IRLS step of the GLM that starts a mixed model, from the
 * family's starting mu (R's `mustart`): a weighted least-squares fit of the
 * working response.  PIRLS at theta = 0 then finishes the GLM fit, as MIDAS
 * and lme4 do.  Returns null when X'WX is singular (aliased predictors).
 *
 * The step may give means outside the mean space (a negative Poisson mean
 * under the identity link) or none (1/mu^2 at a negative eta): it is then halved
 * toward a valid anchor (the intercept-only fit, or beta = 0), as glm.fit
 * halves toward its last valid coefficients; with no valid point at all the
 * model cannot be fitted with this link, which is the user's to change.
 */
export function glmStartingBeta(response: GlmResponse): Float64Array | null;
/** The same for a model, family and link (a response module is made for them). */
export function glmStartingBeta(model: ModelMatrices, family: Family, link: Link): Float64Array | null;
export function glmStartingBeta(first: GlmResponse | ModelMatrices, family?: Family, link?: Link): Float64Array | null {
  const response = first instanceof GlmResponse ? first : new GlmResponse(first, family!, link!);
  return startingBeta(response);
}

function startingBeta(response: GlmResponse): Float64Array | null {
  const { model, family, link } = response;
  const { n, p, X, y, weights, offset } = model;
  const mu = family.startingMu(y, weights);
  const eta = link.linkfun(mu);
  const me = link.muEta(eta);
  const v = family.variance(mu);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    w[r] = workingWeight(weights[r]!, me[r]!, v[r]!);
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
  return validStart(response, xtwz);
}

/** beta itself when X beta + offset is valid, else the point nearest to it toward a valid anchor. */
function validStart(response: GlmResponse, beta: Float64Array): Float64Array {
  const eta = new Float64Array(response.n);
  if (response.valid(fixedEta(response, beta, eta))) return beta;
  const anchor = validAnchor(response, eta);
  if (anchor === null) {
    const { model, family, link } = response;
    throw new GlmmInputError(
      `no starting values with the ${link.name} link keep the ${family.name} family's means valid for response "${model.responseName}" (${model.n} rows); use the family's canonical link (${family.canonicalLink}) or another link it allows`,
    );
  }
  // Bisect on the segment from the anchor to beta for the last valid point.
  let lo = 0;
  let hi = 1;
  const trial = new Float64Array(beta.length);
  for (let h = 0; h < MAX_HALVINGS; h++) {
    const mid = (lo + hi) / 2;
    for (let a = 0; a < beta.length; a++) trial[a] = anchor[a]! + mid * (beta[a]! - anchor[a]!);
    if (response.valid(fixedEta(response, trial, eta))) lo = mid;
    else hi = mid;
  }
  for (let a = 0; a < beta.length; a++) trial[a] = anchor[a]! + lo * (beta[a]! - anchor[a]!);
  return trial;
}

/**
 * A valid beta to halve toward: the intercept-only GLM (the link of the
 * weighted mean response on a constant column), else beta = 0 (eta = offset).
 */
function validAnchor(response: GlmResponse, eta: Float64Array): Float64Array | null {
  const { model, link } = response;
  const { n, p, X, y, weights } = model;
  const candidates: Float64Array[] = [];
  let sw = 0;
  let swy = 0;
  for (let r = 0; r < n; r++) {
    sw += weights[r]!;
    swy += weights[r]! * y[r]!;
  }
  const centre = link.linkfun(Float64Array.of(swy / sw))[0]!;
  for (let a = 0; a < p; a++) {
    const c = X[a * n]!;
    let constant = c !== 0;
    for (let r = 1; r < n && constant; r++) constant = X[a * n + r] === c;
    if (!constant || !Number.isFinite(centre)) continue;
    const b = new Float64Array(p);
    b[a] = centre / c;
    candidates.push(b);
    break;
  }
  candidates.push(new Float64Array(p));
  for (const b of candidates) if (response.valid(fixedEta(response, b, eta))) return b;
  return null;
}

/** X beta + offset into `out`. */
function fixedEta(response: GlmResponse, beta: Float64Array, out: Float64Array): Float64Array {
  const { n, p, X, offset } = response.model;
  out.set(offset);
  for (let a = 0; a < p; a++) {
    const b = beta[a]!;
    if (b === 0) continue;
    for (let r = 0; r < n; r++) out[r]! += X[a * n + r]! * b;
  }
  return out;
}
