import type { Link } from '@glmm/core';
import { outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { WHOLE_LINE } from './intervals.js';

export function identityLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  r.set(mu);
  return r;
}

export function identityLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  r.set(eta);
  return r;
}

export function identityMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  return outputBuffer(eta.length, out).fill(1, 0, eta.length);
}

/** R accepts any eta; a NaN or infinite one is refused here since it can only come from a failed step. */
/** mu = eta is linear: d^2 mu / d eta^2 = 0. */
export function identityLinkinvAndMuEta(eta: Float64Array, mu: Float64Array, muEta: Float64Array): void {
  mu.set(eta);
  muEta.fill(1, 0, eta.length);
}

export function identityMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  return outputBuffer(eta.length, out).fill(0, 0, eta.length);
}

export function identityValidEta(eta: Float64Array): boolean {
  return allFinite(eta);
}

export const identityLink: Link = {
  name: 'identity',
  muDomain: WHOLE_LINE,
  muRange: WHOLE_LINE,
  linkfun: identityLinkfun,
  linkinv: identityLinkinv,
  muEta: identityMuEta,
  linkinvAndMuEta: identityLinkinvAndMuEta,
  muEtaDerivative: identityMuEtaDerivative,
  validEta: identityValidEta,
};
