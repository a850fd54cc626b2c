import type { RawFit, VarianceComponentRow } from '@glmm/core';

/**
 * Variance-component rows in lme4's `as.data.frame(VarCorr(fit))` order:
 * per term its variances, then its covariances in column-major lower-triangle
 * order, and a final `Residual` row when the family estimates a dispersion.
 *
 * On covariance rows `variance` holds the covariance and `stdDev` the
 * correlation, exactly as lme4's `vcov` and `sdcor` columns do; `covariance`
 * and `correlation` repeat them under explicit names.
 *
 * `group` keeps the plain grouping-factor name even when lme4 would print a
 * second term on the same factor as `Subject.1`.
 */
export function varianceComponentRows(fit: RawFit, hasDispersion: boolean): VarianceComponentRow[] {
  const rows: VarianceComponentRow[] = [];
  fit.termCovariances.forEach((tc, t) => {
    const k = tc.columnNames.length;
    const cov = tc.covariance;
    if (cov.length !== k * k) {
      throw new Error(`term ${t} (${tc.group}) has a ${cov.length}-element covariance for ${k} columns`);
    }
    for (let j = 0; j < k; j++) {
      const variance = cov[j * k + j]!;
      rows.push({ group: tc.group, term: tc.columnNames[j]!, variance, stdDev: Math.sqrt(variance) });
    }
    // Covariances a structure fixes at zero are not estimates: lme4 does not list them.
    if (!tc.correlated) return;
    for (let j = 0; j < k; j++) {
      for (let i = j + 1; i < k; i++) {
        const covariance = cov[j * k + i]!;
        const sd = Math.sqrt(cov[i * k + i]! * cov[j * k + j]!);
        // A correlation with a zero variance is undefined; lme4 prints 0 (NaN) there, the contract holds 0.
        const correlation = sd > 0 ? covariance / sd : 0;
        rows.push({
          group: tc.group,
          term: tc.columnNames[j]!,
          term2: tc.columnNames[i]!,
          variance: covariance,
          stdDev: correlation,
          covariance,
          correlation,
        });
      }
    }
  });
  if (hasDispersion) {
    rows.push({ group: 'Residual', term: null, variance: fit.sigma * fit.sigma, stdDev: fit.sigma });
  }
  return rows;
}
