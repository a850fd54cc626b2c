import type { Family, IccRow, ModelMatrices, RawFit } from '@glmm/core';
import { observedLevelsByGroup } from './observed-levels.js';

export interface IccResult {
  rows: IccRow[];
  /** Why no rows were produced, or null. */
  note: string | null;
}

/**
 * Grouping factors in order of first appearance with the variance each
 * contributes at covariates = 0: the sum of the `(Intercept)` variances of
 * its terms, or, for a factor without an intercept term, the variance of its
 * first term's first column.
 */
export function groupVariances(fit: RawFit): Map<string, number> {
  const intercepts = new Map<string, number>();
  const firstColumn = new Map<string, number>();
  for (const tc of fit.termCovariances) {
    const k = tc.columnNames.length;
    if (!firstColumn.has(tc.group)) firstColumn.set(tc.group, tc.covariance[0]!);
    const j = tc.columnNames.indexOf('(Intercept)');
    if (j >= 0) intercepts.set(tc.group, (intercepts.get(tc.group) ?? 0) + tc.covariance[j * k + j]!);
  }
  const out = new Map<string, number>();
  for (const [group, v] of firstColumn) out.set(group, intercepts.get(group) ?? v);
  return out;
}

/** Mean over rows of the fixed part of the linear predictor, X beta + offset. */
export function meanFixedEta(model: ModelMatrices, beta: Float64Array): number {
  const { n, p, X, offset } = model;
  if (n === 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += offset[i] ?? 0;
  for (let j = 0; j < p; j++) {
    let colSum = 0;
    const base = j * n;
    for (let i = 0; i < n; i++) colSum += X[base + i]!;
    sum += colSum * beta[j]!;
  }
  return sum / n;
}

/**
 * ICC per grouping factor at covariates = 0:
 * sigma2_group / (sum of all groups' sigma2 + residual variance), where the
 * residual variance comes from the family on the latent scale (sigma^2 for
 * a Gaussian model), and the design effect 1 + (mean group size - 1) ICC.
 */
export function iccRows(
  fit: RawFit,
  model: ModelMatrices,
  family: Family,
  link: string,
  /** Observed levels per grouping factor (observedLevels), when the caller has them already. */
  levels?: ReadonlyMap<string, number>,
): IccResult {
  const variances = groupVariances(fit);
  if (variances.size === 0) return { rows: [], note: 'no random effects' };
  let total = 0;
  for (const v of variances.values()) total += v;
  // The mean fixed-effect predictor is a pass over every row of X; only some
  // families' latent variances read it (not the Gaussian), so it is worked out
  // when read, which is during this call (X may be reused once the fit is done).
  let meanEta: number | undefined;
  const latent = family.latentResidualVariance(link, {
    dispersion: fit.dispersion,
    get meanEta(): number {
      meanEta ??= meanFixedEta(model, fit.beta);
      return meanEta;
    },
    randomVariance: total,
  });
  if (latent === null || !Number.isFinite(latent.value)) {
    return { rows: [], note: `no latent residual variance is defined for the ${family.name} family with the ${link} link` };
  }
  const denominator = total + latent.value;
  if (!(denominator > 0)) return { rows: [], note: 'total variance is zero' };
  const levelsOf = levels ?? observedLevelsByGroup(model);
  const rows: IccRow[] = [];
  for (const [group, v] of variances) {
    const value = v / denominator;
    const levels = levelsOf.get(group) ?? 0;
    const meanGroupSize = levels > 0 ? model.n / levels : 0;
    rows.push({
      group,
      value,
      designEffect: 1 + (meanGroupSize - 1) * value,
      meanGroupSize,
      residualVariance: latent.value,
      formula: latent.formula,
    });
  }
  return { rows, note: null };
}
