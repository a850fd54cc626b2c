import { lgamma } from './lgamma.js';
import type { RandomSource } from './random-source.js';

/*
 * Exact random variates (no normal approximations) from a RandomSource, for
 * simulating responses: each algorithm draws a deterministic number of
 * uniforms or normals for a given outcome of its rejection steps, so a seed
 * reproduces the draws.
 */

/** Poisson(mu): inversion below mu = 10, Hörmann's PTRS transformed rejection above (Insurance Math. Econom. 12, 1993). */
export function poissonVariate(mu: number, random: RandomSource): number {
  if (!(mu > 0)) return 0;
  if (mu < 10) {
    const u = random.uniform();
    let p = Math.exp(-mu);
    let cdf = p;
    let k = 0;
    // p underflows only far beyond the bulk; stop there rather than loop on rounding.
    while (u > cdf && p > 0) {
      k++;
      p *= mu / k;
      cdf += p;
    }
    return k;
  }
  const smu = Math.sqrt(mu);
  const b = 0.931 + 2.53 * smu;
  const a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  const logMu = Math.log(mu);
  for (;;) {
    const u = random.uniform() - 0.5;
    const v = random.uniform();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mu + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mu + k * logMu - lgamma(k + 1)) return k;
  }
}

/**
 * Gamma(shape, 1): Marsaglia and Tsang (ACM TOMS 26, 2000) for shape >= 1;
 * below 1, Gamma(shape + 1) * U^(1 / shape).
 */
export function gammaVariate(shape: number, random: RandomSource): number {
  if (!(shape > 0)) return Number.NaN;
  if (shape < 1) {
    const g = gammaVariate(shape + 1, random);
    return g * Math.pow(random.uniform(), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = random.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random.uniform();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Beta(a, b) as G_a / (G_a + G_b). */
export function betaVariate(a: number, b: number, random: RandomSource): number {
  const x = gammaVariate(a, random);
  const y = gammaVariate(b, random);
  return x / (x + y);
}

/** Below this many trials a binomial is a count of Bernoulli draws. */
const DIRECT_TRIALS = 40;

/**
 * Binomial(n, p), n a whole number: a count of n Bernoulli draws for small
 * n; above, the beta splitting of Knuth (TAOCP vol. 2, 3.4.1 F), which
 * halves n with each beta draw.  Exact for any n and p.
 */
export function binomialVariate(n: number, p: number, random: RandomSource): number {
  if (!(n > 0) || !(p > 0)) return 0;
  if (p >= 1) return n;
  let k = 0;
  let trials = n;
  let prob = p;
  while (trials > DIRECT_TRIALS) {
    const a = 1 + Math.floor(trials / 2);
    const b = trials + 1 - a;
    const x = betaVariate(a, b, random);
    if (x >= prob) {
      trials = a - 1;
      prob /= x;
    } else {
      k += a;
      trials = b - 1;
      prob = (prob - x) / (1 - x);
    }
  }
  for (let i = 0; i < trials; i++) if (random.uniform() < prob) k++;
  return k;
}
