import { finiteExtent } from './scatter-data.js';

export interface BarDatum {
  x: number;
  x2: number;
  rows: number;
}

/** Counts in equal-width bins: Sturges' number for small samples, at most 60, over the finite values. */
export function histogramData(values: ArrayLike<number>): BarDatum[] {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) n++;
  const extent = finiteExtent(values);
  if (!extent || n === 0) return [];
  const bins = Math.min(60, Math.max(1, Math.ceil(Math.log2(n) + 1)));
  const [lo, hi] = extent;
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  return Array.from(counts, (rows, b) => ({ x: lo + b * width, x2: lo + (b + 1) * width, rows }));
}
