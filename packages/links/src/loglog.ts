import type { Link } from '@glmm/core';
import { DBL_EPSILON, outputBuffer } from '@glmm/distributions';
import { allFinite } from './all-finite.js';
import { UNIT } from './intervals.js';

/**
 * mu = exp(-exp(-eta)), the log-log link: the mirror image of cloglog
 * (loglog(eta) = 1 - cloglog(-eta)), clamped the same way.
 */

export function loglogLinkfun(mu: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(mu.length, out);
  for (let i = 0; i < mu.length; i++) r[i] = -Math.log(-Math.log(mu[i]!));
  return r;
}

export function loglogLinkinv(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const m = Math.exp(-Math.exp(-eta[i]!));
    r[i] = Math.max(Math.min(m, 1 - DBL_EPSILON), DBL_EPSILON);
  }
  return r;
}

export function loglogMuEta(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const ee = Math.exp(-Math.max(eta[i]!, -700));
    r[i] = Math.max(ee * Math.exp(-ee), DBL_EPSILON);
  }
  return r;
}

/** d/d eta of exp(-eta - exp(-eta)) = mu.eta (exp(-eta) - 1); 0 where mu.eta is floored. */
export function loglogMuEtaDerivative(eta: Float64Array, out?: Float64Array): Float64Array {
  const r = outputBuffer(eta.length, out);
  for (let i = 0; i < eta.length; i++) {
    const ee = Math.exp(-Math.max(eta[i]!, -700));
    const me = ee * Math.exp(-ee);
    r[i] = me > DBL_EPSILON ? me * (ee - 1) : 0;
  }
  return r;
}

export function loglogValidEta(eta: Float64Array): boolean {
  return allFinite(eta);
}

export const loglogLink: Link = {
  name: 'loglog',
  muDomain: UNIT,
  muRange: UNIT,
  linkfun: loglogLinkfun,
  linkinv: loglogLinkinv,
  muEta: loglogMuEta,
  muEtaDerivative: loglogMuEtaDerivative,
  validEta: loglogValidEta,
};
