import type { GlmmResults, ReportRows } from '@glmm/core';
import type { TopLevelSpec } from 'vega-lite';
import { binnedResiduals, isBinary } from './binned-residuals.js';
import { caterpillarSeries } from './caterpillar-data.js';
import { groupLines } from './group-lines-data.js';
import { histogramData } from './histogram-data.js';
import {
  binnedObservedSpec,
  binnedResidualSpec,
  caterpillarSpec,
  groupLinesSpec,
  histogramSpec,
  qqSpec,
  scatterSpec,
} from './plot-specs.js';
import { qqData } from './qq-data.js';
import { renderSvg, scopeSvgIds } from './render-svg.js';
import { scatterData } from './scatter-data.js';

/** One diagnostic plot of the report. */
export interface Figure {
  /** Stable kind: "residuals-fitted", "caterpillar", ... */
  readonly kind: string;
  readonly caption: string;
  readonly svg: string;
}

export interface PlannedFigure {
  readonly kind: string;
  readonly caption: string;
  readonly spec: TopLevelSpec;
}

/** The per-row columns the plots read; typed arrays or plain arrays alike. */
export interface PlotColumns {
  fitted: ArrayLike<number>;
  pearson: ArrayLike<number>;
  deviance: ArrayLike<number>;
  /** Observed response on the scale of the fitted values (binomial: the proportion). */
  observed: ArrayLike<number>;
}

/**
 * The fit's own typed columns when at hand, else the contract's diagnostics
 * (results read back from JSON).  Observed = fitted + response residual:
 * the response residual is y - mu in every family.
 */
export function plotColumns(r: GlmmResults, rows?: ReportRows): PlotColumns | null {
  // Results read back from JSON may carry no per-row diagnostics (large fits write them to a file instead).
  const d = rows ?? (r.diagnostics as GlmmResults['diagnostics'] | undefined);
  if (!d?.fitted || !d.responseResiduals || !d.pearsonResiduals || !d.devianceResiduals) return null;
  const n = d.fitted.length;
  const observed = new Float64Array(n);
  for (let i = 0; i < n; i++) observed[i] = d.fitted[i]! + d.responseResiduals[i]!;
  return { fitted: d.fitted, pearson: d.pearsonResiduals, deviance: d.devianceResiduals, observed };
}

/** Residuals in data order, each against the one before (fitglme's plotResiduals 'lagged'); views, not copies, of a typed array. */
function lagged(values: ArrayLike<number>): { previous: ArrayLike<number>; current: ArrayLike<number> } {
  if (values instanceof Float64Array) return { previous: values.subarray(0, Math.max(0, values.length - 1)), current: values.subarray(1) };
  const n = Math.max(0, values.length - 1);
  const previous = new Float64Array(n);
  const current = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    previous[i] = values[i]!;
    current[i] = values[i + 1]!;
  }
  return { previous, current };
}

/**
 * Which plots the report shows and their specifications: residuals against
 * fitted values (binned for a binary response), histogram and normal QQ plot
 * of the deviance residuals, residuals against lagged residuals, a
 * caterpillar plot per term column, observed against fitted values, and
 * fitted lines per group for each random slope (when the rows are at hand).
 */
export function planFigures(r: GlmmResults, rows?: ReportRows): PlannedFigure[] {
  const cols = plotColumns(r, rows);
  if (!cols) return caterpillarFigures(r);
  const figures: PlannedFigure[] = [];
  const binary = isBinary(cols.observed);
  const binned = binary ? binnedResiduals(cols.fitted, cols.observed) : null;

  if (binned) {
    figures.push({
      kind: 'binned-residuals',
      caption: 'Binned residuals against fitted values (binary response): most bins should lie inside the band.',
      spec: binnedResidualSpec(binned.bins, binned.note),
    });
  } else {
    figures.push({
      kind: 'residuals-fitted',
      caption: 'Pearson residuals against fitted values: look for a trend or a funnel.',
      spec: scatterSpec(scatterData(cols.fitted, cols.pearson), { title: 'Residuals vs fitted', x: 'fitted value', y: 'Pearson residual' }, 'zero'),
    });
  }
  figures.push({
    kind: 'histogram',
    caption: 'Histogram of the deviance residuals.',
    spec: histogramSpec(histogramData(cols.deviance), { title: 'Histogram of residuals', x: 'deviance residual' }),
  });
  figures.push({
    kind: 'qq',
    caption: 'Normal QQ plot of the deviance residuals, with the line through the quartiles.',
    spec: qqSpec(qqData(cols.deviance), { title: 'Normal QQ plot of residuals', y: 'deviance residual' }),
  });
  const lag = lagged(cols.pearson);
  figures.push({
    kind: 'lagged',
    caption: 'Each Pearson residual against the one before it in data order: a pattern suggests serial correlation.',
    spec: scatterSpec(scatterData(lag.previous, lag.current), { title: 'Residuals vs lagged residuals', x: 'previous residual', y: 'residual' }, 'zero'),
  });
  figures.push(...caterpillarFigures(r));
  if (binned) {
    figures.push({
      kind: 'observed-fitted',
      caption: 'Observed proportion against mean fitted value per bin: points near the line mean good calibration.',
      spec: binnedObservedSpec(binned.bins, binned.note),
    });
  } else {
    figures.push({
      kind: 'observed-fitted',
      caption: 'Observed against fitted values, with the identity line.',
      spec: scatterSpec(scatterData(cols.fitted, cols.observed), { title: 'Observed vs fitted', x: 'fitted value', y: 'observed' }, 'identity'),
    });
  }
  if (rows) {
    for (const lines of groupLines(rows.terms, cols.fitted, cols.observed)) {
      figures.push({
        kind: 'group-lines',
        caption: `Fitted values of each ${lines.group} over ${lines.predictor} (lines) and the observed values (points).`,
        spec: groupLinesSpec(lines),
      });
    }
  }
  return figures;
}

/** A caterpillar plot per term column: these need only the contract's BLUP rows. */
function caterpillarFigures(r: GlmmResults): PlannedFigure[] {
  return caterpillarSeries(r.randomEffects).map((series) => ({
    kind: 'caterpillar',
    caption: `Predictions (BLUPs) of ${series.group}: ${series.term}, sorted, with ±1.96 conditional SD.`,
    spec: caterpillarSpec(series),
  }));
}

/** The planned figures rendered to SVG, one after another (Vega's views are independent). */
export async function renderFigures(r: GlmmResults, rows?: ReportRows): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const [k, f] of planFigures(r, rows).entries()) out.push({ kind: f.kind, caption: f.caption, svg: scopeSvgIds(await renderSvg(f.spec), `plot${k + 1}`) });
  return out;
}
