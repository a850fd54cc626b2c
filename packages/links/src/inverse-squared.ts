import type { Link } from '@glmm/core';
import { DBL_MAX, DBL_MIN, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { POSITIVE } from './intervals.js';

/**
 * eta = 1/mu^2, the canonical link of the inverse Gaussian; mu.eta is
 * negative as in R, its size held inside [DBL_MIN, DBL_MAX] so that it stays
 * finite and nonzero for every positive eta.
 */

export function inverseSquaredLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) {
    const m = mu[i]!;
    r[i] = 1 / (m * m);
  }
  return r;
}

export function inverseSquaredLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = 1 / Math.sqrt(eta[i]!);
  return r;
}

export function inverseSquaredMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = -Math.min(Math.max(0.5 / Math.pow(eta[i]!, 1.5), DBL_MIN), DBL_MAX);
  return r;
}

/** d/d eta of -eta^(-3/2) / 2 = (3/4) eta^(-5/2), its size capped at DBL_MAX; 0 where mu.eta is clamped. */
export function inverseSquaredMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    const me = 0.5 / Math.pow(e, 1.5);
    r[i] = me > DBL_MIN && me < DBL_MAX ? Math.min((1.5 * me) / e, DBL_MAX) : 0;
  }
  return r;
}

export function inverseSquaredValidEta(eta: Float64Array): boolean {
  return allFinite(eta, (e) => e > 0);
}

export const inverseSquaredLink: Link = {
  name: '1/mu^2',
  muDomain: POSITIVE,
  muRange: POSITIVE,
  linkfun: inverseSquaredLinkfun,
  linkinv: inverseSquaredLinkinv,
  muEta: inverseSquaredMuEta,
  muEtaDerivative: inverseSquaredMuEtaDerivative,
  validEta: inverseSquaredValidEta,
};
