import type { Link } from '@glmm/core';
import { DBL_EPSILON, DBL_MAX, fastExp, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { POSITIVE } from './intervals.js';

export function logLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = Math.log(mu[i]!);
  return r;
}

/**
 * R's `pmax(exp(eta), .Machine$double.eps)`, also capped at the largest
 * double: R returns Inf beyond eta ~ 709.78, which the Link contract forbids.
 */
export function logLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) r[i] = Math.min(Math.max(fastExp(eta[i]!), DBL_EPSILON), DBL_MAX);
  return r;
}

/** d exp(eta) / d eta = exp(eta), with the same floor and cap as linkinv. */
export function logMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  return logLinkinv(eta, out);
}

/** d^2 exp(eta) / d eta^2 = exp(eta), 0 where linkinv is held at its floor or cap. */
/** mu and mu.eta share one exp: for the log link they are the same number. */
export function logLinkinvAndMuEta(eta: Float64Array, mu: Float64Array, muEta: Float64Array): void {
  for (let i = 0; i < eta.length; i++) {
    const m = Math.min(Math.max(fastExp(eta[i]!), DBL_EPSILON), DBL_MAX);
    mu[i] = m;
    muEta[i] = m;
  }
}

export function logMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const e = fastExp(eta[i]!);
    r[i] = e > DBL_EPSILON && e < DBL_MAX ? e : 0;
  }
  return r;
}

/** mu, mu.eta and its derivative for one eta, with the floor and cap of the array forms. */
export function logEvaluateAt(eta: number, out: Float64Array): void {
  const e = fastExp(eta);
  const m = Math.min(Math.max(e, DBL_EPSILON), DBL_MAX);
  out[0] = m;
  out[1] = m;
  out[2] = e > DBL_EPSILON && e < DBL_MAX ? e : 0;
}

export function logValidEta(eta: Float64Array): boolean {
  return allFinite(eta);
}

export const logLink: Link = {
  name: 'log',
  muDomain: POSITIVE,
  muRange: POSITIVE,
  linkfun: logLinkfun,
  linkinv: logLinkinv,
  muEta: logMuEta,
  linkinvAndMuEta: logLinkinvAndMuEta,
  muEtaDerivative: logMuEtaDerivative,
  evaluateAt: logEvaluateAt,
  validEta: logValidEta,
};
