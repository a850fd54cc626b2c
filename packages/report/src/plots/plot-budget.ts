/**
 * How much a plot may draw.  Each point costs about 140 bytes of SVG, so the
 * caps keep a report of a million-row fit under 2 MB and every plot readable:
 * above them, plots bin or thin their data and say so on the plot.
 */
export const PLOT_BUDGET = {
  /** Scatter plots draw each row up to this many rows; above, a 2-D histogram of counts. */
  maxPoints: 2000,
  /** Cells of that 2-D histogram (x by y); only non-empty cells are drawn. */
  binsX: 60,
  binsY: 40,
  /** Quantiles drawn in the normal QQ plot of a large sample. */
  qqQuantiles: 500,
  /** Levels drawn in one caterpillar plot (evenly spaced ranks beyond that). */
  caterpillarLevels: 400,
  /** Levels named on a caterpillar plot's axis; more are shown by rank. */
  caterpillarLabels: 50,
  /** Groups drawn in the fitted-lines plot of a random slope. */
  slopeGroups: 30,
  /** Most bins of a binned residual plot. */
  residualBins: 200,
} as const;

/** `k` indices spread evenly over 0..n-1, first and last included; all of them when n <= k. */
export function evenlySpaced(n: number, k: number): Int32Array {
  if (n <= k) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(k);
  for (let j = 0; j < k; j++) out[j] = k === 1 ? 0 : Math.round((j * (n - 1)) / (k - 1));
  return out;
}

/** "1,000,000" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
