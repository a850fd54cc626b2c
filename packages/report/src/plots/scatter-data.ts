import { PLOT_BUDGET, count } from './plot-budget.js';

export interface PointDatum {
  x: number;
  y: number;
}
export interface CellDatum {
  x: number;
  x2: number;
  y: number;
  y2: number;
  rows: number;
}

/** What a scatter plot draws: every row, or for many rows a 2-D histogram of counts. */
export type ScatterData =
  | { kind: 'points'; points: PointDatum[]; note: string | null }
  | { kind: 'cells'; cells: CellDatum[]; note: string };

/** Extent of the finite values, or null when there are none. */
export function finiteExtent(values: ArrayLike<number>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

/**
 * Pairs (xs[i], ys[i]); rows with a non-finite coordinate are left out.
 * Above the point budget the rows are counted in a grid over the data's
 * extent: one pass, no per-row objects.
 */
export function scatterData(xs: ArrayLike<number>, ys: ArrayLike<number>, budget = PLOT_BUDGET): ScatterData {
  const n = Math.min(xs.length, ys.length);
  if (n <= budget.maxPoints) {
    const points: PointDatum[] = [];
    for (let i = 0; i < n; i++) if (Number.isFinite(xs[i]!) && Number.isFinite(ys[i]!)) points.push({ x: xs[i]!, y: ys[i]! });
    return { kind: 'points', points, note: null };
  }
  const ex = finiteExtent(xs) ?? [0, 1];
  const ey = finiteExtent(ys) ?? [0, 1];
  const nx = budget.binsX;
  const ny = budget.binsY;
  const wx = ex[1] > ex[0] ? (ex[1] - ex[0]) / nx : 1;
  const wy = ey[1] > ey[0] ? (ey[1] - ey[0]) / ny : 1;
  const counts = new Float64Array(nx * ny);
  for (let i = 0; i < n; i++) {
    const x = xs[i]!;
    const y = ys[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const bx = Math.min(nx - 1, Math.floor((x - ex[0]) / wx));
    const by = Math.min(ny - 1, Math.floor((y - ey[0]) / wy));
    counts[by * nx + bx]!++;
  }
  const cells: CellDatum[] = [];
  for (let by = 0; by < ny; by++) {
    for (let bx = 0; bx < nx; bx++) {
      const rows = counts[by * nx + bx]!;
      if (rows > 0) cells.push({ x: ex[0] + bx * wx, x2: ex[0] + (bx + 1) * wx, y: ey[0] + by * wy, y2: ey[0] + (by + 1) * wy, rows });
    }
  }
  return { kind: 'cells', cells, note: `${count(n)} rows binned into a ${nx} x ${ny} grid; colour = rows per cell` };
}
