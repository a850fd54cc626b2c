import type { TopLevelSpec } from 'vega-lite';
import type { ResidualBin } from './binned-residuals.js';
import type { CaterpillarSeries } from './caterpillar-data.js';
import type { GroupLines } from './group-lines-data.js';
import type { BarDatum } from './histogram-data.js';
import type { QqData } from './qq-data.js';
import type { PointDatum, ScatterData } from './scatter-data.js';
import { finiteExtent } from './scatter-data.js';

/**
 * The Vega-Lite specifications of the report's plots.  Data arrive already
 * reduced to at most a few thousand items (points, cells, bins, quantiles),
 * so Vega only lays out and draws.  Only fixed field names are used: user
 * text (column and level names) appears as titles and values, never as a
 * field or an expression.
 */

const WIDTH = 340;
const HEIGHT = 220;
const POINT_COLOUR = '#2a6db0';
const REFERENCE_COLOUR = '#c33';

const CONFIG = {
  // ARIA labels on every mark would double the SVG's size; the figure carries its own caption.
  aria: false,
  font: 'system-ui, sans-serif',
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal' as const, gridColor: '#eee' },
  title: { fontSize: 13, subtitleFontSize: 10, subtitleColor: '#555', anchor: 'start' as const },
};

function frame(title: string, note: string | null, height = HEIGHT) {
  return {
    width: WIDTH,
    height,
    background: 'white',
    config: CONFIG,
    // No ARIA label on the title either: the figure's caption says what the plot is.
    title: note ? { text: title, subtitle: note, aria: false } : { text: title, aria: false },
  };
}

const q = (field: string, title: string, extra: Record<string, unknown> = {}) => ({ field, type: 'quantitative' as const, title, ...extra });

/** A horizontal rule at y = 0 (residual plots). */
const zeroRule = { data: { values: [{ y: 0 }] }, mark: { type: 'rule' as const, color: REFERENCE_COLOUR, strokeDash: [4, 3] }, encoding: { y: { field: 'y', type: 'quantitative' as const } } };

/** The line y = a + b x over [x0, x1], as two points. */
function straightLine(intercept: number, slope: number, x0: number, x1: number) {
  return {
    data: { values: [{ x: x0, y: intercept + slope * x0 }, { x: x1, y: intercept + slope * x1 }] },
    mark: { type: 'line' as const, color: REFERENCE_COLOUR, strokeDash: [4, 3], clip: true },
    encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'y', type: 'quantitative' as const } },
  };
}

function extentOf(points: readonly PointDatum[], key: 'x' | 'y'): [number, number] {
  return finiteExtent(points.map((p) => p[key])) ?? [0, 1];
}

/** Points, or the cells of a 2-D histogram coloured by rows per cell; with a zero rule or the identity line. */
export function scatterSpec(
  data: ScatterData,
  labels: { title: string; x: string; y: string },
  reference: 'zero' | 'identity',
): TopLevelSpec {
  const layer: object[] = [];
  let range: [number, number];
  if (data.kind === 'points') {
    layer.push({
      data: { values: data.points },
      mark: { type: 'circle', size: 14, color: POINT_COLOUR, opacity: 0.6 },
      encoding: { x: q('x', labels.x, { scale: { zero: false } }), y: q('y', labels.y, { scale: { zero: false } }) },
    });
    range = extentOf(data.points, 'x');
  } else {
    layer.push({
      data: { values: data.cells },
      mark: { type: 'rect' },
      encoding: {
        x: q('x', labels.x, { scale: { zero: false } }),
        x2: { field: 'x2' },
        y: q('y', labels.y, { scale: { zero: false } }),
        y2: { field: 'y2' },
        color: q('rows', 'rows', { scale: { type: 'log', scheme: 'blues' } }),
      },
    });
    range = finiteExtent(data.cells.flatMap((c) => [c.x, c.x2])) ?? [0, 1];
  }
  layer.push(reference === 'zero' ? zeroRule : straightLine(0, 1, range[0], range[1]));
  return { ...frame(labels.title, data.note), layer } as TopLevelSpec;
}

export function histogramSpec(bars: readonly BarDatum[], labels: { title: string; x: string }): TopLevelSpec {
  return {
    ...frame(labels.title, null),
    data: { values: bars },
    mark: { type: 'rect', color: POINT_COLOUR, stroke: 'white', strokeWidth: 0.5 },
    encoding: { x: q('x', labels.x, { scale: { zero: false } }), x2: { field: 'x2' }, y: q('rows', 'rows') },
  } as TopLevelSpec;
}

export function qqSpec(qq: QqData, labels: { title: string; y: string }): TopLevelSpec {
  const [x0, x1] = extentOf(qq.points, 'x');
  return {
    ...frame(labels.title, qq.note),
    layer: [
      {
        data: { values: qq.points },
        mark: { type: 'circle', size: 14, color: POINT_COLOUR, opacity: 0.6 },
        encoding: { x: q('x', 'normal quantile', { scale: { zero: false } }), y: q('y', labels.y, { scale: { zero: false } }) },
      },
      straightLine(qq.line.intercept, qq.line.slope, x0, x1),
    ],
  } as TopLevelSpec;
}

/** Sorted predictions with +-1.96 conditional SD; level names on the axis when there are few. */
export function caterpillarSpec(series: CaterpillarSeries): TopLevelSpec {
  const y = series.labelled
    ? { field: 'level', type: 'nominal' as const, title: series.group, sort: { field: 'value', order: 'descending' as const } }
    : q('rank', `${series.group} (rank)`, { scale: { zero: false } });
  const height = series.labelled ? Math.max(120, 12 * series.data.length) : HEIGHT;
  return {
    ...frame(`${series.group}: ${series.term}`, series.note ?? `${series.levels} levels, ±1.96 conditional SD`, height),
    layer: [
      { data: { values: [{ x: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' } } },
      {
        data: { values: series.data },
        layer: [
          { mark: { type: 'rule', color: '#8aa9cc' }, encoding: { x: q('lower', 'prediction'), x2: { field: 'upper' }, y } },
          { mark: { type: 'circle', size: 16, color: POINT_COLOUR, opacity: 1 }, encoding: { x: q('value', 'prediction'), y } },
        ],
      },
    ],
  } as TopLevelSpec;
}

/** Fitted values of each drawn group over the slope's predictor, with the observed values. */
export function groupLinesSpec(lines: GroupLines): TopLevelSpec {
  const colour = { field: 'group', type: 'nominal' as const, legend: null, scale: { scheme: 'tableau20' } };
  const x = q('x', lines.predictor, { scale: { zero: false } });
  return {
    ...frame(`Fitted lines per ${lines.group} over ${lines.predictor}`, lines.note ?? `${lines.groupsDrawn} groups; points: observed`),
    data: { values: lines.data },
    layer: [
      { mark: { type: 'circle', size: 10, opacity: 0.45 }, encoding: { x, y: q('observed', 'response', { scale: { zero: false } }), color: colour } },
      { mark: { type: 'line', strokeWidth: 1.3 }, encoding: { x, y: q('fitted', 'response'), color: colour, detail: { field: 'group' } } },
    ],
  } as TopLevelSpec;
}

/** Mean residual per bin of fitted values with the +-2 SE band (arm::binnedplot). */
export function binnedResidualSpec(bins: readonly ResidualBin[], note: string): TopLevelSpec {
  const band = bins.map((b) => ({ fitted: b.fitted, upper: b.band, lower: -b.band }));
  const x = q('fitted', 'mean fitted value', { scale: { zero: false } });
  return {
    ...frame('Binned residuals vs fitted', `${note}; band: ±2 SE`),
    layer: [
      zeroRule,
      { data: { values: band }, mark: { type: 'line', color: '#999' }, encoding: { x, y: q('upper', 'mean residual') } },
      { data: { values: band }, mark: { type: 'line', color: '#999' }, encoding: { x, y: q('lower', 'mean residual') } },
      { data: { values: bins }, mark: { type: 'circle', size: 18, color: POINT_COLOUR }, encoding: { x, y: q('residual', 'mean residual (observed - fitted)') } },
    ],
  } as TopLevelSpec;
}

/** Observed proportion against mean fitted probability per bin, with the identity line (calibration). */
export function binnedObservedSpec(bins: readonly ResidualBin[], note: string): TopLevelSpec {
  const [x0, x1] = finiteExtent(bins.map((b) => b.fitted)) ?? [0, 1];
  return {
    ...frame('Observed vs fitted (binned)', note),
    layer: [
      {
        data: { values: bins },
        mark: { type: 'circle', size: 18, color: POINT_COLOUR },
        encoding: { x: q('fitted', 'mean fitted value', { scale: { zero: false } }), y: q('observed', 'observed proportion') },
      },
      straightLine(0, 1, x0, x1),
    ],
  } as TopLevelSpec;
}
