import type { CovarianceStructure } from '@glmm/core';

/**
 * lme4's parameterisation: theta is the column-wise lower triangle of the
 * relative covariance factor Lambda_t, whose diagonal is bounded below by 0
 * (Bates et al. 2015, section 3.1), so Sigma_t = sigma^2 Lambda_t Lambda_t'.
 */
export const unstructuredCovariance: CovarianceStructure = {
  name: 'unstructured',
  correlated: true,
  nTheta: (k) => (k * (k + 1)) / 2,
  lowerBounds(k) {
    const lb = new Float64Array((k * (k + 1)) / 2);
    let t = 0;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) lb[t++] = i === j ? 0 : -Infinity;
    return lb;
  },
  initialTheta(k) {
    const th = new Float64Array((k * (k + 1)) / 2);
    let t = 0;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) th[t++] = i === j ? 1 : 0;
    return th;
  },
  lambda(theta, k, out) {
    out.fill(0, 0, k * k);
    let t = 0;
    for (let j = 0; j < k; j++) for (let i = j; i < k; i++) out[j * k + i] = theta[t++]!;
  },
  linearInTheta: true,
  diagonalThetaPositions(k) {
    // Column j of the lower triangle starts with its diagonal entry.
    const positions = new Int32Array(k);
    for (let j = 1; j < k; j++) positions[j] = positions[j - 1]! + (k - j + 1);
    return positions;
  },
  thetaNames(columnNames) {
    const names: string[] = [];
    const k = columnNames.length;
    for (let j = 0; j < k; j++)
      for (let i = j; i < k; i++) names.push(i === j ? columnNames[i]! : `${columnNames[i]}.${columnNames[j]}`);
    return names;
  },
};
