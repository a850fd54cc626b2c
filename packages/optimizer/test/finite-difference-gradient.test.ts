import { describe, expect, it } from 'vitest';
import { finiteDifferenceGradient } from '../src/index.js';

const f = (x: Float64Array): number => Math.exp(x[0]!) * x[1]! + x[1]! ** 3 - Math.sin(x[0]! * x[1]!);
const grad = (x: number[]): number[] => [
  Math.exp(x[0]!) * x[1]! - x[1]! * Math.cos(x[0]! * x[1]!),
  Math.exp(x[0]!) + 3 * x[1]! ** 2 - x[0]! * Math.cos(x[0]! * x[1]!),
];
const unbounded = { lower: Float64Array.of(-Infinity, -Infinity), upper: Float64Array.of(Infinity, Infinity) };

describe('finiteDifferenceGradient', () => {
  it('matches the analytic gradient inside the box', () => {
    const x = Float64Array.of(0.3, -1.7);
    const g = finiteDifferenceGradient(f, x, f(x), unbounded);
    const exact = grad([0.3, -1.7]);
    for (let j = 0; j < 2; j++) expect(Math.abs(g[j]! - exact[j]!)).toBeLessThan(1e-8);
  });

  it('uses one-sided differences at a bound without leaving the box', () => {
    const x = Float64Array.of(0, 0.5);
    const box = { lower: Float64Array.of(0, -Infinity), upper: Float64Array.of(Infinity, 0.5) };
    const g = finiteDifferenceGradient(
      (z) => {
        expect(z[0]).toBeGreaterThanOrEqual(0);
        expect(z[1]).toBeLessThanOrEqual(0.5);
        return f(z);
      },
      x,
      f(x),
      box,
    );
    const exact = grad([0, 0.5]);
    // Second-order one-sided differences: error ~ h^2 f''' with h ~ 1e-6.
    for (let j = 0; j < 2; j++) expect(Math.abs(g[j]! - exact[j]!)).toBeLessThan(1e-8);
  });

  it('falls back to a one-sided difference where the other side is infinite', () => {
    const h = (z: Float64Array): number => (z[0]! < 1 ? Infinity : z[0]! ** 2);
    const g = finiteDifferenceGradient(h, Float64Array.of(1), 1, { lower: Float64Array.of(-5), upper: Float64Array.of(5) });
    expect(Math.abs(g[0]! - 2)).toBeLessThan(1e-8);
  });
});
