import type { Link } from '@glmm/core';
import { outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { POSITIVE, WHOLE_LINE } from './intervals.js';

/**
 * eta = 1/mu.  mu.eta = -1/eta^2 is negative, as in R: the working response
 * z = eta + (y - mu) / mu.eta needs the sign, so it is not made positive.
 */

export function inverseLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = 1 / mu[i]!;
  return r;
}

export function inverseLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = 1 / eta[i]!;
  return r;
}

export function inverseMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    r[i] = -1 / (e * e);
  }
  return r;
}

/** d/d eta of -1/eta^2 = 2/eta^3. */
export function inverseMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    r[i] = 2 / (e * e * e);
  }
  return r;
}

/** R: all(eta != 0) (and finite). */
export function inverseValidEta(eta: Float64Array): boolean {
  return allFinite(eta, (e) => e !== 0);
}

export const inverseLink: Link = {
  name: 'inverse',
  muDomain: POSITIVE,
  muRange: WHOLE_LINE,
  linkfun: inverseLinkfun,
  linkinv: inverseLinkinv,
  muEta: inverseMuEta,
  muEtaDerivative: inverseMuEtaDerivative,
  validEta: inverseValidEta,
};
