import { PLOT_BUDGET, count } from './plot-budget.js';

export interface ResidualBin {
  /** Mean fitted value of the bin. */
  fitted: number;
  /** Mean response residual (observed - fitted). */
  residual: number;
  /** Mean observed value. */
  observed: number;
  /** Twice the residuals' standard error in the bin: the band that holds about 95% of bins for a good model. */
  band: number;
  rows: number;
}

/**
 * Gelman and Hill's binned residual plot (arm::binnedplot), the residual
 * check for binary responses, whose raw residuals fall on two curves: rows
 * in bins of about equal size by fitted value, sqrt(n) bins as arm chooses
 * (10 below 100 rows), each with its mean residual and +-2 SE.
 */
export function binnedResiduals(fitted: ArrayLike<number>, observed: ArrayLike<number>, budget = PLOT_BUDGET): { bins: ResidualBin[]; note: string } {
  const n = fitted.length;
  const sorted = Float64Array.from(fitted).sort();
  const k = Math.max(1, Math.min(budget.residualBins, n >= 100 ? Math.floor(Math.sqrt(n)) : n > 10 ? 10 : Math.floor(n / 2)));
  // Upper edges at the fitted values' quantiles; equal fitted values share a bin.
  const edges = new Float64Array(k);
  for (let b = 0; b < k; b++) edges[b] = sorted[Math.min(n - 1, Math.ceil(((b + 1) * n) / k) - 1)]!;
  const rows = new Float64Array(k);
  const sumFitted = new Float64Array(k);
  const sumResidual = new Float64Array(k);
  const sumSquares = new Float64Array(k);
  const sumObserved = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const f = fitted[i]!;
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f <= edges[mid]!) hi = mid;
      else lo = mid + 1;
    }
    const r = observed[i]! - f;
    rows[lo]!++;
    sumFitted[lo]! += f;
    sumResidual[lo]! += r;
    sumSquares[lo]! += r * r;
    sumObserved[lo]! += observed[i]!;
  }
  const bins: ResidualBin[] = [];
  for (let b = 0; b < k; b++) {
    const m = rows[b]!;
    if (m === 0) continue;
    const mean = sumResidual[b]! / m;
    const variance = m > 1 ? Math.max(0, (sumSquares[b]! - m * mean * mean) / (m - 1)) : 0;
    bins.push({ fitted: sumFitted[b]! / m, residual: mean, observed: sumObserved[b]! / m, band: (2 * Math.sqrt(variance)) / Math.sqrt(m), rows: m });
  }
  return { bins, note: `${count(n)} rows in ${bins.length} bins of about ${count(Math.round(n / Math.max(1, bins.length)))} by fitted value` };
}

/** Whether every observed value is 0 or 1: a binary response, whose residual plots are binned. */
export function isBinary(observed: ArrayLike<number>): boolean {
  for (let i = 0; i < observed.length; i++) {
    const y = observed[i]!;
    // observed = fitted + response residual, exact to rounding.
    if (Math.abs(y) > 1e-9 && Math.abs(y - 1) > 1e-9) return false;
  }
  return observed.length > 0;
}
