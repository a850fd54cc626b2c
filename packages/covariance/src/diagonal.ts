import type { CovarianceStructure } from '@glmm/core';

/** Independent random effects within a term: Lambda_t = diag(theta), theta >= 0. */
export const diagonalCovariance: CovarianceStructure = {
  name: 'diagonal',
  correlated: false,
  nTheta: (k) => k,
  lowerBounds: (k) => new Float64Array(k),
  initialTheta: (k) => new Float64Array(k).fill(1),
  lambda(theta, k, out) {
    out.fill(0, 0, k * k);
    for (let j = 0; j < k; j++) out[j * k + j] = theta[j]!;
  },
  linearInTheta: true,
  diagonalThetaPositions: (k) => Int32Array.from({ length: k }, (_, j) => j),
  thetaNames: (columnNames) => [...columnNames],
};
