/**
 * Standard normal tail probabilities and quantiles, accurate to ~1e-14
 * relative even far in the tails (a z of 16 has p ~ 1e-60, which the
 * reference fixtures print), so they are computed here rather than as 1 - CDF.
 */

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normalDensity(z: number): number {
  return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
}

/** Upper tail Q(z) = P(Z > z). */
export function normalUpperTail(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return 1 - normalUpperTail(-z);
  if (z === Infinity) return 0;
  if (z < 3) {
    // Phi(z) - 1/2 = phi(z) * sum z^(2n+1) / (1 * 3 * ... * (2n+1)): all terms positive, no cancellation.
    let term = z;
    let sum = z;
    const z2 = z * z;
    for (let k = 3; term > 1e-17 * sum; k += 2) {
      term *= z2 / k;
      sum += term;
    }
    return 0.5 - normalDensity(z) * sum;
  }
  // Q(z) = phi(z) / (z + 1/(z + 2/(z + 3/(z + ...)))), evaluated by the modified Lentz method.
  const tiny = 1e-300;
  let f = z;
  let C = f;
  let D = 0;
  for (let n = 1; n < 5000; n++) {
    D = z + n * D;
    if (Math.abs(D) < tiny) D = tiny;
    C = z + n / C;
    if (Math.abs(C) < tiny) C = tiny;
    D = 1 / D;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return normalDensity(z) / f;
}

/** P(Z <= z). */
export function normalCdf(z: number): number {
  return normalUpperTail(-z);
}

/** Two-sided p-value of a z statistic: 2 Q(|z|). */
export function twoSidedPValue(z: number): number {
  return 2 * normalUpperTail(Math.abs(z));
}

/** The z with Q(z) = alpha, 0 < alpha <= 1/2. */
function upperQuantile(alpha: number): number {
  // Abramowitz & Stegun 26.2.23 (|error| < 4.5e-4), then Newton steps on Q.
  const t = Math.sqrt(-2 * Math.log(alpha));
  let z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  for (let k = 0; k < 20; k++) {
    const step = (normalUpperTail(z) - alpha) / normalDensity(z);
    z += step;
    if (Math.abs(step) <= 1e-15 * Math.max(1, Math.abs(z))) break;
  }
  return z;
}

/** Quantile function Phi^{-1}(p). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? -upperQuantile(p) : upperQuantile(1 - p);
}
