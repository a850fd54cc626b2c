import { qnorm } from '@glmm/distributions';
import { PLOT_BUDGET, count } from './plot-budget.js';
import type { PointDatum } from './scatter-data.js';

export interface QqData {
  points: PointDatum[];
  /** R's qqline: through the quartiles of the sample and of the normal. */
  line: { intercept: number; slope: number };
  note: string | null;
}

/** Quantile of a sorted sample, R's type 7 (linear interpolation between order statistics). */
function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Normal QQ points: each order statistic against qnorm of R's ppoints, or
 * for a large sample the sample quantiles at evenly spaced probabilities.
 */
export function qqData(values: ArrayLike<number>, budget = PLOT_BUDGET): QqData {
  const buffer = new Float64Array(values.length);
  let m0 = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) buffer[m0++] = values[i]!;
  const sorted = buffer.subarray(0, m0).sort();
  const n = sorted.length;
  if (n === 0) return { points: [], line: { intercept: 0, slope: 1 }, note: null };
  const points: PointDatum[] = [];
  let note: string | null = null;
  if (n <= budget.maxPoints) {
    const a = n <= 10 ? 3 / 8 : 1 / 2;
    for (let i = 0; i < n; i++) points.push({ x: qnorm((i + 1 - a) / (n + 1 - 2 * a)), y: sorted[i]! });
  } else {
    const m = budget.qqQuantiles;
    for (let k = 0; k < m; k++) {
      const p = (k + 0.5) / m;
      points.push({ x: qnorm(p), y: quantile7(sorted, p) });
    }
    note = `${m} quantiles of ${count(n)} residuals`;
  }
  const y1 = quantile7(sorted, 0.25);
  const y3 = quantile7(sorted, 0.75);
  const x1 = qnorm(0.25);
  const x3 = qnorm(0.75);
  const slope = (y3 - y1) / (x3 - x1);
  return { points, line: { intercept: y1 - slope * x1, slope }, note };
}
