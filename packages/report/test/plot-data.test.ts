import { describe, expect, it } from 'vitest';
import { binnedResiduals, isBinary } from '../src/plots/binned-residuals.js';
import { caterpillarSeries } from '../src/plots/caterpillar-data.js';
import { groupLines } from '../src/plots/group-lines-data.js';
import { histogramData } from '../src/plots/histogram-data.js';
import { evenlySpaced, PLOT_BUDGET } from '../src/plots/plot-budget.js';
import { qqData } from '../src/plots/qq-data.js';
import { compactSvg, scopeSvgIds } from '../src/plots/render-svg.js';
import { scatterData } from '../src/plots/scatter-data.js';

/** A seeded uniform generator (mulberry32), so the data are the same on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('evenlySpaced', () => {
  it('keeps both ends and spreads the rest', () => {
    expect(Array.from(evenlySpaced(5, 10))).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(evenlySpaced(101, 5))).toEqual([0, 25, 50, 75, 100]);
  });
});

describe('scatterData', () => {
  it('draws every finite row up to the budget', () => {
    const d = scatterData([1, 2, Number.NaN, 4], [1, 2, 3, Number.POSITIVE_INFINITY]);
    expect(d).toEqual({ kind: 'points', points: [{ x: 1, y: 1 }, { x: 2, y: 2 }], note: null });
  });

  it('counts many rows in a grid: every row in one cell, no more cells than the grid', () => {
    const rand = uniform(1);
    const n = 50_000;
    const xs = Float64Array.from({ length: n }, rand);
    const ys = Float64Array.from({ length: n }, () => rand() * 2 - 1);
    const d = scatterData(xs, ys);
    expect(d.kind).toBe('cells');
    if (d.kind !== 'cells') return;
    expect(d.cells.reduce((s, c) => s + c.rows, 0)).toBe(n);
    expect(d.cells.length).toBeLessThanOrEqual(PLOT_BUDGET.binsX * PLOT_BUDGET.binsY);
    expect(d.note).toBe('50,000 rows binned into a 60 x 40 grid; colour = rows per cell');
    // The maximum lands in the last cell, not past it.
    expect(Math.max(...d.cells.map((c) => c.x2))).toBeCloseTo(Math.max(...xs), 12);
  });
});

describe('histogramData', () => {
  it("uses Sturges' number of bins and counts every finite value once", () => {
    const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, Number.NaN];
    const bars = histogramData(values);
    expect(bars).toHaveLength(Math.ceil(Math.log2(10) + 1));
    expect(bars.reduce((s, b) => s + b.rows, 0)).toBe(10);
    expect(bars[0]!.x).toBe(0);
    expect(bars.at(-1)!.x2).toBe(9);
  });
});

describe('qqData', () => {
  it("pairs each order statistic with the normal quantile of R's ppoints", () => {
    // qqnorm(c(3, 1, 2)) in R: x = qnorm(ppoints(3)) = qnorm(c(0.1923077, 0.5, 0.8076923)).
    const qq = qqData([3, 1, 2]);
    expect(qq.points.map((p) => p.y)).toEqual([1, 2, 3]);
    expect(qq.points[0]!.x).toBeCloseTo(-0.8694238, 6);
    expect(qq.points[1]!.x).toBeCloseTo(0, 12);
    // qqline: through the quartiles 1.5 and 2.5 of the sample (type 7) and of the normal.
    expect(qq.line.slope).toBeCloseTo(1 / (2 * 0.6744897501960817), 12);
    expect(qq.line.intercept).toBeCloseTo(2, 12);
  });

  it('shows evenly spaced quantiles of a large sample', () => {
    const rand = uniform(2);
    const qq = qqData(Float64Array.from({ length: 10_000 }, rand));
    expect(qq.points).toHaveLength(PLOT_BUDGET.qqQuantiles);
    expect(qq.note).toBe('500 quantiles of 10,000 residuals');
    // Uniform(0, 1) sample: the median quantile is near 0.5.
    expect(qq.points[250]!.y).toBeCloseTo(0.5, 1);
  });
});

describe('binnedResiduals', () => {
  it('puts about n / sqrt(n) rows in each bin and averages the residuals', () => {
    const rand = uniform(3);
    const n = 10_000;
    const fitted = Float64Array.from({ length: n }, () => 0.05 + 0.9 * rand());
    const observed = Float64Array.from(fitted, (p) => (rand() < p ? 1 : 0));
    expect(isBinary(observed)).toBe(true);
    const { bins, note } = binnedResiduals(fitted, observed);
    expect(bins).toHaveLength(100);
    expect(bins.reduce((s, b) => s + b.rows, 0)).toBe(n);
    for (const b of bins) expect(b.rows).toBe(100);
    // A well-specified model: mean residuals inside their +-2 SE band in most bins.
    expect(bins.filter((b) => Math.abs(b.residual) <= b.band).length).toBeGreaterThan(85);
    expect(note).toBe('10,000 rows in 100 bins of about 100 by fitted value');
  });

  it('recognises a binary response from its values', () => {
    expect(isBinary([0, 1, 1, 0])).toBe(true);
    expect(isBinary([0, 0.5, 1])).toBe(false);
    expect(isBinary([])).toBe(false);
  });
});

describe('caterpillarSeries', () => {
  const row = (group: string, term: string, level: string, value: number) => ({ group, term, level, value, condSd: 1 });

  it('one series per term column, sorted by prediction, with 1.96 SD limits', () => {
    const s = caterpillarSeries([row('g', '(Intercept)', 'a', 2), row('g', 'x', 'a', -1), row('g', '(Intercept)', 'b', -3), row('g', 'x', 'b', 5)]);
    expect(s.map((x) => [x.group, x.term])).toEqual([
      ['g', '(Intercept)'],
      ['g', 'x'],
    ]);
    expect(s[0]!.data.map((d) => d.level)).toEqual(['b', 'a']);
    expect(s[0]!.data[0]).toEqual({ rank: 1, level: 'b', value: -3, lower: -4.96, upper: -1.04 });
    expect(s[0]!.labelled).toBe(true);
  });

  it('a second term on the same factor and column is its own series', () => {
    const s = caterpillarSeries([row('g', '(Intercept)', 'a', 1), row('g', '(Intercept)', 'b', 2), row('g', '(Intercept)', 'a', 3), row('g', '(Intercept)', 'b', 4)]);
    expect(s).toHaveLength(2);
  });

  it('many levels: ranks on the axis, thinned to the budget at evenly spaced ranks, extremes kept', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row('g', '(Intercept)', `L${i}`, (i * 7919) % 5000));
    const [s] = caterpillarSeries(rows);
    expect(s!.labelled).toBe(false);
    expect(s!.data).toHaveLength(PLOT_BUDGET.caterpillarLevels);
    expect(s!.data[0]!.value).toBe(0);
    expect(s!.data.at(-1)!.value).toBe(4999);
    expect(s!.note).toBe('400 of 5,000 levels drawn, at evenly spaced ranks');
  });
});

describe('groupLines', () => {
  it('samples 30 groups, sorts each along the slope predictor, skips intercepts and indicators', () => {
    const levels = Array.from({ length: 100 }, (_, l) => `s${l}`);
    const n = 1000;
    const index = Int32Array.from({ length: n }, (_, i) => i % 100);
    const x = Float64Array.from({ length: n }, (_, i) => 9 - Math.floor(i / 100));
    const fitted = Float64Array.from({ length: n }, (_, i) => 10 + x[i]! * (index[i]! + 1));
    const term = { group: 'Subject', levels, index, columns: [new Float64Array(n).fill(1), Float64Array.from({ length: n }, (_, i) => i % 2), x], columnNames: ['(Intercept)', 'fB', 'Days'] };
    const [lines] = groupLines([term], fitted, fitted);
    expect(lines!.predictor).toBe('Days');
    expect(lines!.groupsDrawn).toBe(30);
    expect(new Set(lines!.data.map((d) => d.group)).size).toBe(30);
    const first = lines!.data.filter((d) => d.group === 's0').map((d) => d.x);
    expect(first).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(lines!.note).toBe('30 of 100 groups, evenly spaced in level order');
  });

  it('draws nothing for a model without slopes', () => {
    const term = { group: 'g', levels: ['a', 'b'], index: Int32Array.of(0, 1), columns: [Float64Array.of(1, 1)], columnNames: ['(Intercept)'] };
    expect(groupLines([term], [1, 2], [1, 2])).toEqual([]);
  });
});

describe('SVG post-processing', () => {
  it('rounds geometry to a tenth of a pixel and leaves text alone', () => {
    const svg = '<path transform="translate(16.570980537851714,22.15)" d="M1.732,0A1.732,1.732,0,1,1,-1.732,0"/><text x="3.14159">0.123456</text>';
    expect(compactSvg(svg)).toBe('<path transform="translate(16.6,22.2)" d="M1.7,0A1.7,1.7,0,1,1,-1.7,0"/><text x="3.1">0.123456</text>');
  });

  it('scopes ids and their references', () => {
    expect(scopeSvgIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/>', 'plot3')).toBe('<clipPath id="plot3-clip1"/><g clip-path="url(#plot3-clip1)"/>');
    // Vega's counter runs on across views: the same plot gets the same ids however many were drawn before.
    expect(scopeSvgIds('<clipPath id="clip7"/><g clip-path="url(#clip7)"/>', 'plot3')).toBe('<clipPath id="plot3-clip1"/><g clip-path="url(#plot3-clip1)"/>');
  });
});
