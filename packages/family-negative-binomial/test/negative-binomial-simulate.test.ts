import { describe, expect, it } from 'vitest';
import { dnbinomLog, Xoshiro128 } from '@glmm/distributions';
import { negativeBinomialAt, negativeBinomialFamily } from '@glmm/family-negative-binomial';

/** Frequencies of 0..kMax among the draws, each within 5 binomial SEs of dnbinom(k; theta, mu). */
function expectNbFrequencies(draws: Float64Array, theta: number, mu: number, kMax: number): void {
  const n = draws.length;
  const counts = new Float64Array(kMax + 1);
  for (const y of draws) if (y <= kMax) counts[y]!++;
  for (let k = 0; k <= kMax; k++) {
    const p = Math.exp(dnbinomLog(k, theta, mu));
    const se = Math.sqrt((p * (1 - p)) / n);
    expect(Math.abs(counts[k]! / n - p), `P(y = ${k}) at theta = ${theta}, mu = ${mu}`).toBeLessThanOrEqual(5 * se + 1e-12);
  }
}

describe('negative binomial simulate (gamma-Poisson mixture)', () => {
  const n = 40_000;
  const ones = new Float64Array(n).fill(1);

  it.each([
    [0.3, 2],
    [2, 3],
    [15, 0.4],
  ])('draws counts with the NB2 probabilities at shape %d and mean %d', (theta, mu) => {
    const draws = negativeBinomialAt(theta).simulate!(new Float64Array(n).fill(mu), ones, 1, new Xoshiro128(7), new Float64Array(n));
    expect(draws.every((y) => Number.isInteger(y) && y >= 0)).toBe(true);
    expectNbFrequencies(draws, theta, mu, 6);
  });

  it('is Poisson in the limit the plugin stands for until its shape is estimated', () => {
    const draws = negativeBinomialFamily.simulate!(new Float64Array(n).fill(2.5), ones, 1, new Xoshiro128(8), new Float64Array(n));
    expectNbFrequencies(draws, Infinity, 2.5, 6);
  });

  it('gives 0 at mean 0, and the same draws for the same seed', () => {
    const mu = Float64Array.of(0, 1, 4, 0);
    const at = negativeBinomialAt(1.5);
    const a = at.simulate!(mu, new Float64Array(4).fill(1), 1, new Xoshiro128(3), new Float64Array(4));
    const b = at.simulate!(mu, new Float64Array(4).fill(1), 1, new Xoshiro128(3), new Float64Array(4));
    expect(a[0]).toBe(0);
    expect(a[3]).toBe(0);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
