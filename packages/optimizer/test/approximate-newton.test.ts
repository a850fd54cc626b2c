import { describe, expect, it } from 'vitest';
import { approximateNewton } from '@glmm/optimizer';

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

describe('approximateNewton near a lower bound', () => {
  // f(t, b) = (t^2 - 0.25)^2 + (b - t)^2: even in t, so t = 0 is stationary (a
  // saddle: the gradient in t vanishes there), with the minimum at t = 0.5.
  const saddle = (underestimate: number) => (x: Float64Array, g: Float64Array, H: Float64Array): number => {
    const t = x[0]!;
    const b = x[1]!;
    const q = t * t - 0.25;
    g[0] = 4 * t * q - 2 * (b - t);
    g[1] = 2 * (b - t);
    // A Hessian whose t-curvature is too small makes the first Newton step overshoot past t = 0.
    H[0] = (12 * t * t - 1 + 2) * underestimate;
    H[1] = -2;
    H[2] = -2;
    H[3] = 2;
    return q * q + (b - t) * (b - t);
  };

  it('does not land on the bound from an overshooting step and stall at the stationary point there', () => {
    const r = approximateNewton(saddle(0.05), Float64Array.of(1, 0), { lower: Float64Array.of(0, -Infinity), maxIterations: 200, ftolRel: 1e-14 });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - 0.5)).toBeLessThan(1e-5);
    expect(Math.abs(r.x[1]! - 0.5)).toBeLessThan(1e-5);
  });

  it('ends exactly on the bound when the minimum is there (a singular fit)', () => {
    // f = t^2 + t^4 + (b - 1)^2: minimum at t = 0 exactly, approached geometrically then taken.
    const f = (x: Float64Array, g: Float64Array, H: Float64Array): number => {
      const t = x[0]!;
      const b = x[1]!;
      g[0] = 2 * t + 4 * t * t * t;
      g[1] = 2 * (b - 1);
      H[0] = 2 + 12 * t * t;
      H[1] = 0;
      H[2] = 0;
      H[3] = 2;
      return t * t + t ** 4 + (b - 1) * (b - 1);
    };
    const r = approximateNewton(f, Float64Array.of(1, 0), { lower: Float64Array.of(0, -Infinity), maxIterations: 200, ftolRel: 1e-14 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(Math.abs(r.x[1]! - 1)).toBeLessThan(1e-7);
  });
});
