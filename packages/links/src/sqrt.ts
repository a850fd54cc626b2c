import type { Link } from '@glmm/core';
import { outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';

/** eta = sqrt(mu); R only accepts eta > 0, which keeps mu = eta^2 one-to-one. */

export function sqrtLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = Math.sqrt(mu[i]!);
  return r;
}

export function sqrtLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    r[i] = e * e;
  }
  return r;
}

export function sqrtMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = 2 * eta[i]!;
  return r;
}

export function sqrtValidEta(eta: Float64Array): boolean {
  return allFinite(eta, (e) => e > 0);
}

export const sqrtLink: Link = {
  name: 'sqrt',
  range: [0, Infinity],
  linkfun: sqrtLinkfun,
  linkinv: sqrtLinkinv,
  muEta: sqrtMuEta,
  validEta: sqrtValidEta,
};
