import type { Link } from '@glmm/core';
import { DBL_MAX, DBL_MIN, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { POSITIVE } from './intervals.js';

/**
 * eta = sqrt(mu); R only accepts eta > 0, which keeps mu = eta^2 one-to-one.
 * mu is held inside [DBL_MIN, DBL_MAX] (eta below 1.5e-154 would square to 0,
 * above 1.3e154 to Infinity), so every valid eta gives a positive finite mean.
 */

export function sqrtLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = Math.sqrt(mu[i]!);
  return r;
}

export function sqrtLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    r[i] = Math.min(Math.max(e * e, DBL_MIN), DBL_MAX);
  }
  return r;
}

export function sqrtMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = Math.min(2 * eta[i]!, DBL_MAX);
  return r;
}

/** d/d eta of 2 eta = 2; 0 where mu.eta is capped. */
export function sqrtMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = 2 * eta[i]! < DBL_MAX ? 2 : 0;
  return r;
}

export function sqrtValidEta(eta: Float64Array): boolean {
  return allFinite(eta, (e) => e > 0);
}

export const sqrtLink: Link = {
  name: 'sqrt',
  muDomain: POSITIVE,
  muRange: POSITIVE,
  linkfun: sqrtLinkfun,
  linkinv: sqrtLinkinv,
  muEta: sqrtMuEta,
  muEtaDerivative: sqrtMuEtaDerivative,
  validEta: sqrtValidEta,
};
