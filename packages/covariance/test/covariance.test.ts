import { describe, expect, it } from 'vitest';
import { diagonalCovariance, unstructuredCovariance } from '@glmm/covariance';

describe('unstructured covariance', () => {
  it('maps theta to the column-wise lower triangle of Lambda', () => {
    const out = new Float64Array(9);
    unstructuredCovariance.lambda(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, out);
    // column-major: col0 = (1,2,3), col1 = (0,4,5), col2 = (0,0,6)
    expect([...out]).toEqual([1, 2, 3, 0, 4, 5, 0, 0, 6]);
    expect([...unstructuredCovariance.lowerBounds(2)]).toEqual([0, -Infinity, 0]);
    expect([...unstructuredCovariance.initialTheta(2)]).toEqual([1, 0, 1]);
    expect(unstructuredCovariance.thetaNames(['(Intercept)', 'Days'])).toEqual([
      '(Intercept)',
      'Days.(Intercept)',
      'Days',
    ]);
  });
});

describe('diagonal covariance', () => {
  it('puts theta on the diagonal', () => {
    const out = new Float64Array(4).fill(9);
    diagonalCovariance.lambda(Float64Array.from([2, 3]), 2, out);
    expect([...out]).toEqual([2, 0, 0, 3]);
    expect(diagonalCovariance.nTheta(3)).toBe(3);
    expect(diagonalCovariance.correlated).toBe(false);
    expect(unstructuredCovariance.correlated).toBe(true);
  });
});
