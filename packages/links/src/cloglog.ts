import type { Link } from '@glmm/core';
import { DBL_EPSILON, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { UNIT } from './intervals.js';

/** mu = 1 - exp(-exp(eta)), the complementary log-log link. */

export function cloglogLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  // log1p keeps small mu accurate where R's log(1 - mu) loses digits.
  for (let i = 0; i < mu.length; i++) r[i] = Math.log(-Math.log1p(-mu[i]!));
  return r;
}

/** R: pmax(pmin(-expm1(-exp(eta)), 1 - eps), eps). */
export function cloglogLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const m = -Math.expm1(-Math.exp(eta[i]!));
    r[i] = Math.max(Math.min(m, 1 - DBL_EPSILON), DBL_EPSILON);
  }
  return r;
}

/** R: eta capped at 700 so exp(eta) stays finite, result floored at eps. */
export function cloglogMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const ee = Math.exp(Math.min(eta[i]!, 700));
    r[i] = Math.max(ee * Math.exp(-ee), DBL_EPSILON);
  }
  return r;
}

/** d/d eta of exp(eta - exp(eta)) = exp(eta - exp(eta)) (1 - exp(eta)); 0 where mu.eta is floored. */
export function cloglogMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const ee = Math.exp(Math.min(eta[i]!, 700));
    const me = ee * Math.exp(-ee);
    r[i] = me > DBL_EPSILON ? me * (1 - ee) : 0;
  }
  return r;
}

/** mu, mu.eta and its derivative for one eta, with the clamps of the array forms. */
export function cloglogEvaluateAt(eta: number, out: Float64Array): void {
  const m = -Math.expm1(-Math.exp(eta));
  out[0] = Math.max(Math.min(m, 1 - DBL_EPSILON), DBL_EPSILON);
  const ee = Math.exp(Math.min(eta, 700));
  const me = ee * Math.exp(-ee);
  out[1] = Math.max(me, DBL_EPSILON);
  out[2] = me > DBL_EPSILON ? me * (1 - ee) : 0;
}

export function cloglogValidEta(eta: Float64Array): boolean {
  return allFinite(eta);
}

export const cloglogLink: Link = {
  name: 'cloglog',
  muDomain: UNIT,
  muRange: UNIT,
  linkfun: cloglogLinkfun,
  linkinv: cloglogLinkinv,
  muEta: cloglogMuEta,
  muEtaDerivative: cloglogMuEtaDerivative,
  evaluateAt: cloglogEvaluateAt,
  validEta: cloglogValidEta,
};
