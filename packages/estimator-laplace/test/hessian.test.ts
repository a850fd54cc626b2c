import { describe, expect, it } from 'vitest';
import { finiteDifferenceHessian } from '@glmm/estimator-laplace';

describe('finite-difference Hessian', () => {
  it('is exact for a quadratic and second-order accurate otherwise, with d^2 + d + 1 evaluations', () => {
    let count = 0;
    // f = x0^2 + 3 x0 x1 + 2 x1^2 - x1 x2 + 0.5 x2^2 + sin(x0) x2
    const f = (x: Float64Array): number => {
      count++;
      return x[0]! ** 2 + 3 * x[0]! * x[1]! + 2 * x[1]! ** 2 - x[1]! * x[2]! + 0.5 * x[2]! ** 2 + Math.sin(x[0]!) * x[2]!;
    };
    const x = Float64Array.of(0.3, -0.2, 0.7);
    const H = finiteDifferenceHessian(f, x, Float64Array.of(1e-4, 1e-4, 1e-4));
    expect(count).toBe(3 * 3 + 3 + 1);
    const exact = [
      [2 - Math.sin(0.3) * 0.7, 3, Math.cos(0.3)],
      [3, 4, -1],
      [Math.cos(0.3), -1, 1],
    ];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(H[j * 3 + i]).toBeCloseTo(exact[i]![j]!, 5);
  });
});
