import { describe, expect, it } from 'vitest';
import { quasiNewton } from '@glmm/optimizer';

// A badly scaled quadratic with a coupling term: curvatures 1e4 and 2.
const A = Float64Array.of(1e4, 30, 30, 2);
const f = (x: Float64Array): number =>
  0.5 * (A[0]! * (x[0]! - 1) ** 2 + 2 * A[1]! * (x[0]! - 1) * (x[1]! + 2) + A[3]! * (x[1]! + 2) ** 2);
const gradient = (x: Float64Array, out: Float64Array): void => {
  out[0] = A[0]! * (x[0]! - 1) + A[1]! * (x[1]! + 2);
  out[1] = A[1]! * (x[0]! - 1) + A[3]! * (x[1]! + 2);
};

describe('quasi-Newton with an initial Hessian', () => {
  it('converges in fewer iterations from the exact Hessian than from a scaled identity', () => {
    const plain = quasiNewton(f, Float64Array.of(0, 0), { gradient, ftolRel: 1e-14 });
    const seeded = quasiNewton(f, Float64Array.of(0, 0), { gradient, ftolRel: 1e-14, initialHessian: A });
    for (const r of [plain, seeded]) {
      expect(r.x[0]).toBeCloseTo(1, 6);
      expect(r.x[1]).toBeCloseTo(-2, 5);
    }
    expect(seeded.iterations).toBeLessThan(plain.iterations);
    expect(seeded.iterations).toBeLessThanOrEqual(3);
  });

  it('falls back to the diagonal scale when the given Hessian is not positive definite', () => {
    const indefinite = Float64Array.of(-1e4, 30, 30, 2);
    const r = quasiNewton(f, Float64Array.of(0, 0), { gradient, ftolRel: 1e-14, initialHessian: indefinite });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(-2, 5);
  });
});
