import { describe, expect, it } from 'vitest';
import { pnorm, Xoshiro128 } from '@glmm/distributions';
import { inverseGaussianAt, inverseGaussianFamily } from '@glmm/family-inverse-gaussian';

/** The inverse Gaussian CDF with mean mu and shape lambda (Chhikara and Folks 1989). */
function pinvgauss(x: number, mu: number, lambda: number): number {
  const r = Math.sqrt(lambda / x);
  return pnorm(r * (x / mu - 1)) + Math.exp((2 * lambda) / mu + Math.log(pnorm(-r * (x / mu + 1))));
}

/** The Kolmogorov-Smirnov distance of the draws from IG(mu, lambda). */
function ksDistance(draws: Float64Array, mu: number, lambda: number): number {
  const sorted = Float64Array.from(draws).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = pinvgauss(sorted[i]!, mu, lambda);
    d = Math.max(d, Math.abs(f - i / n), Math.abs((i + 1) / n - f));
  }
  return d;
}

describe('inverse Gaussian simulate (Michael, Schucany and Haas)', () => {
  const n = 20_000;
  // P(D > 1.95 / sqrt(n)) is about 0.001 for a sample from the distribution itself.
  const critical = 1.95 / Math.sqrt(n);

  it.each([
    // mean, dispersion phi, prior weight: lambda = wt / phi
    [2, 0.5, 1],
    [2, 0.5, 4],
    [0.3, 2, 1],
    // mu / lambda = 50: most draws need the large-w form of the root
    [50, 1, 1],
  ])('draws IG(mu = %d) with dispersion %d and prior weight %d', (mu, phi, wt) => {
    const draws = inverseGaussianAt(phi).simulate!(new Float64Array(n).fill(mu), new Float64Array(n).fill(wt), 1, new Xoshiro128(5), new Float64Array(n));
    expect(draws.every((y) => y > 0 && Number.isFinite(y))).toBe(true);
    expect(ksDistance(draws, mu, wt / phi)).toBeLessThan(critical);
  });

  it('takes the dispersion as an argument in the plugin, and holds it in the family fixed at it', () => {
    const mu = new Float64Array(n).fill(1.5);
    const wt = new Float64Array(n).fill(1);
    const plugin = inverseGaussianFamily.simulate!(mu, wt, 0.8, new Xoshiro128(9), new Float64Array(n));
    const fixed = inverseGaussianAt(0.8).simulate!(mu, wt, 1, new Xoshiro128(9), new Float64Array(n));
    expect(Array.from(fixed)).toEqual(Array.from(plugin));
    expect(ksDistance(plugin, 1.5, 1 / 0.8)).toBeLessThan(critical);
  });
});
