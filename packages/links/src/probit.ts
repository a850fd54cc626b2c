import type { Link } from '@glmm/core';
import { DBL_EPSILON, dnorm, outputBuffer, pnorm, qnorm } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { UNIT } from './intervals.js';

/** -qnorm(DBL_EPSILON): R clamps eta here so that mu stays within [eps, 1 - eps]. */
export const PROBIT_THRESHOLD = -qnorm(DBL_EPSILON);

export function probitLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = qnorm(mu[i]!);
  return r;
}

export function probitLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = Math.min(Math.max(eta[i]!, -PROBIT_THRESHOLD), PROBIT_THRESHOLD);
    r[i] = pnorm(e);
  }
  return r;
}

export function probitMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = Math.max(dnorm(eta[i]!), DBL_EPSILON);
  return r;
}

/** d phi(eta) / d eta = -eta phi(eta); 0 where mu.eta is held at its floor. */
export function probitMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = eta[i]!;
    const d = dnorm(e);
    r[i] = d > DBL_EPSILON ? -e * d : 0;
  }
  return r;
}

/** mu, mu.eta and its derivative for one eta, with the clamps of the array forms. */
export function probitEvaluateAt(eta: number, out: Float64Array): void {
  out[0] = pnorm(Math.min(Math.max(eta, -PROBIT_THRESHOLD), PROBIT_THRESHOLD));
  const d = dnorm(eta);
  out[1] = Math.max(d, DBL_EPSILON);
  out[2] = d > DBL_EPSILON ? -eta * d : 0;
}

export function probitValidEta(eta: Float64Array): boolean {
  return allFinite(eta);
}

export const probitLink: Link = {
  name: 'probit',
  muDomain: UNIT,
  muRange: UNIT,
  linkfun: probitLinkfun,
  linkinv: probitLinkinv,
  muEta: probitMuEta,
  muEtaDerivative: probitMuEtaDerivative,
  evaluateAt: probitEvaluateAt,
  validEta: probitValidEta,
};
