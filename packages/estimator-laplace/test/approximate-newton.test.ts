import { describe, expect, it } from 'vitest';
import { approximateNewton } from '@glmm/estimator-laplace';

/** f = sum_i a_i (x_i - c_i)^4 / 4 + (x_0 - x_1)^2 / 2, a smooth convex test function. */
function quartic(c: readonly number[]) {
  return (x: Float64Array, g: Float64Array, H: Float64Array): number => {
    const d = x.length;
    let f = 0;
    H.fill(0);
    for (let i = 0; i < d; i++) {
      const e = x[i]! - c[i]!;
      f += (e * e * e * e) / 4 + (e * e) / 2;
      g[i] = e * e * e + e;
      H[i * d + i] = 3 * e * e + 1;
    }
    const t = x[0]! - x[1]!;
    f += (t * t) / 2;
    g[0]! += t;
    g[1]! -= t;
    H[0]! += 1;
    H[d + 1]! += 1;
    H[1]! -= 1;
    H[d]! -= 1;
    return f;
  };
}

describe('approximateNewton', () => {
  it('finds an interior minimum in few evaluations', () => {
    const r = approximateNewton(quartic([1, -2, 3]), Float64Array.of(5, 5, -5), {
      lower: new Float64Array(3).fill(-Infinity),
      maxIterations: 100,
      ftolRel: 1e-14,
    });
    expect(r.converged).toBe(true);
    // Stationarity: x0 - c0 + (x0 - x1) + (x0-c0)^3 = 0 etc.; check the gradient instead of a closed form.
    const g = new Float64Array(3);
    quartic([1, -2, 3])(r.x, g, new Float64Array(9));
    for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-6);
    expect(r.evaluations).toBeLessThan(30);
  });

  it('stops on a lower bound the gradient pushes against, and optimises the rest', () => {
    const r = approximateNewton(quartic([-1, 2]), Float64Array.of(3, 3), {
      lower: Float64Array.of(0, -Infinity),
      maxIterations: 100,
      ftolRel: 1e-14,
    });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    const g = new Float64Array(2);
    quartic([-1, 2])(r.x, g, new Float64Array(4));
    expect(g[0]!).toBeGreaterThan(0);
    expect(Math.abs(g[1]!)).toBeLessThan(1e-6);
  });

  it('shifts an indefinite Hessian until it is positive definite and still descends', () => {
    const f = (x: Float64Array, g: Float64Array, H: Float64Array): number => {
      // f = cos(x) + x^2 / 10: concave near 0, minimum near +-2.6.
      g[0] = -Math.sin(x[0]!) + x[0]! / 5;
      H[0] = -Math.cos(x[0]!) + 0.2;
      return Math.cos(x[0]!) + (x[0]! * x[0]!) / 10;
    };
    const r = approximateNewton(f, Float64Array.of(0.1), { lower: Float64Array.of(-Infinity), maxIterations: 100, ftolRel: 1e-14 });
    expect(r.converged).toBe(true);
    expect(Math.abs(-Math.sin(r.x[0]!) + r.x[0]! / 5)).toBeLessThan(1e-6);
    expect(Math.abs(r.x[0]!)).toBeGreaterThan(2);
  });
});
