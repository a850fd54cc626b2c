import type { Link } from '@glmm/core';
import { logLink } from '@glmm/links';

const DBL_EPSILON = 2.220446049250313e-16;

function map(x: Float64Array, f: (v: number) => number, out?: Float64Array): Float64Array {
  const r = out ?? new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) r[i] = f(x[i]!);
  return r;
}

/** log(1 + e^eta) without overflow for large eta. */
function softplus(eta: number): number {
  return eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta));
}

/**
 * A custom link as a third party would write one: mu = log(1 + e^eta), the
 * softplus, with mu and mu.eta floored at DBL_EPSILON as R floors the log
 * link's.  It declares its domain and range, (0, Inf) both, so every family
 * with positive means accepts it although none names it.
 */
export const softplusLink: Link = {
  name: 'softplus',
  muDomain: { lower: 0, upper: Infinity },
  muRange: { lower: 0, upper: Infinity },
  linkfun: (mu, out) => map(mu, (m) => (m > 1 ? m + Math.log(-Math.expm1(-m)) : Math.log(Math.expm1(m))), out),
  linkinv: (eta, out) => map(eta, (e) => Math.max(softplus(e), DBL_EPSILON), out),
  muEta: (eta, out) => map(eta, (e) => Math.max(1 / (1 + Math.exp(-e)), DBL_EPSILON), out),
  validEta: (eta) => eta.every((e) => Number.isFinite(e)),
};

/**
 * The log link under another name and without muDomain/muRange: a custom
 * link that declares nothing, which no family may take unless it names it.
 */
export const undeclaredLogLink: Link = {
  name: 'undeclared-log',
  linkfun: logLink.linkfun,
  linkinv: logLink.linkinv,
  muEta: logLink.muEta,
  validEta: logLink.validEta,
};
