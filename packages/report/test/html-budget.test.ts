import type { Family, ModelMatrices, RawFit } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { buildResults, renderHtml, reportRows } from '../src/index.js';
import { gaussianLike, stubFamily } from './hand-fit.js';

/** A seeded standard normal generator (mulberry32 + Box-Muller). */
function normal(seed: number): () => number {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/**
 * The model and raw fit of a large random-slopes data set, (1 + x | g) with
 * n / 100 groups, made directly (the report needs the fit's numbers, not
 * their optimality), so the test measures the report alone.
 */
function largeFit(n: number, binary: boolean): { fit: RawFit; model: ModelMatrices } {
  const z = normal(7);
  const levels = n / 100;
  const index = Int32Array.from({ length: n }, (_, i) => i % levels);
  const x = Float64Array.from({ length: n }, (_, i) => Math.floor(i / levels) % 10);
  const b0 = Float64Array.from({ length: levels }, () => 0.5 * z());
  const b1 = Float64Array.from({ length: levels }, () => 0.1 * z());
  const eta = Float64Array.from({ length: n }, (_, i) => (binary ? -0.5 : 10) + 0.2 * x[i]! + b0[index[i]!]! + b1[index[i]!]! * x[i]!);
  const fitted = binary ? eta.map((e) => 1 / (1 + Math.exp(-e))) : eta.slice();
  const y = binary ? fitted.map((p) => (Math.abs(z()) < 0.6745 * 2 * (1 - p) ? 0 : 1)) : fitted.map((m) => m + z());
  const resid = y.map((v, i) => v - fitted[i]!);
  const values = new Float64Array(2 * levels);
  for (let l = 0; l < levels; l++) {
    values[2 * l] = b0[l]!;
    values[2 * l + 1] = b1[l]!;
  }
  const model: ModelMatrices = {
    n,
    p: 2,
    responseName: 'y',
    y,
    weights: new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X: Float64Array.from({ length: 2 * n }, (_, k) => (k < n ? 1 : x[k - n]!)),
    fixedNames: ['(Intercept)', 'x'],
    terms: [{ group: 'g', levels: Array.from({ length: levels }, (_, l) => `g${l}`), index, columns: [new Float64Array(n).fill(1), x], columnNames: ['(Intercept)', 'x'], covariance: 'unstructured' }],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
  const fit: RawFit = {
    method: binary ? 'Laplace' : 'REML',
    nAGQ: 1,
    beta: Float64Array.of(binary ? -0.5 : 10, 0.2),
    vcovBeta: Float64Array.of(1e-4, 0, 0, 1e-6),
    theta: Float64Array.of(0.5, 0, 0.1),
    sigma: 1,
    dispersion: 1,
    logLik: -1e6,
    df: binary ? 5 : 6,
    remlCriterion: binary ? null : 2e6,
    conditionalDeviance: n,
    termCovariances: [{ group: 'g', columnNames: ['(Intercept)', 'x'], covariance: Float64Array.of(0.25, 0, 0, 0.01), correlated: true }],
    modes: [{ group: 'g', columnNames: ['(Intercept)', 'x'], levels: model.terms[0]!.levels, values, condSd: new Float64Array(2 * levels).fill(0.05) }],
    eta,
    fitted,
    residResponse: resid,
    residDeviance: resid,
    residPearson: resid,
    singular: false,
    convergence: { converged: true, iterations: 5, evaluations: 9, optimizer: 'newton', message: 'converged' },
    warnings: [],
  };
  return { fit, model };
}

const logisticLike = (): Family => stubFamily('binomial', false, () => ({ value: Math.PI ** 2 / 3, formula: 'pi^2/3' }));

/** Marks Vega drew in one figure: symbols, rectangles, rules, lines. */
function marks(figure: string): number {
  return (figure.match(/<(path|line) (?!class="(background|foreground)")/g) ?? []).length;
}

describe('the report of a million-row fit stays small and readable', () => {
  it('under 2 MB, every plot at most a few thousand marks, binning and thinning stated on the plots', async () => {
    const { fit, model } = largeFit(1_000_000, false);
    const r = buildResults(fit, model, { formula: 'y ~ x + (1 + x | g)', family: gaussianLike(), link: 'identity', fitSeconds: 1 });
    const start = performance.now();
    const html = await renderHtml(r, reportRows(r));
    const seconds = (performance.now() - start) / 1000;
    const bytes = Buffer.byteLength(html, 'utf8');
    console.log(`html report of a 1e6-row random-slopes fit: ${(bytes / 1e6).toFixed(2)} MB in ${seconds.toFixed(2)} s`);
    expect(bytes).toBeLessThan(2_000_000);
    const figures = [...html.matchAll(/<figure class="plot" data-kind="([a-z-]+)">([\s\S]*?)<\/figure>/g)];
    expect(figures.map((f) => f[1])).toEqual(['residuals-fitted', 'histogram', 'qq', 'lagged', 'caterpillar', 'caterpillar', 'observed-fitted', 'group-lines']);
    for (const [, kind, body] of figures) {
      expect(marks(body!), kind).toBeGreaterThan(5);
      expect(marks(body!), kind).toBeLessThan(4000);
    }
    expect(html).toContain('1,000,000 rows binned into a 60 x 40 grid');
    expect(html).toContain('500 quantiles of 1,000,000 residuals');
    expect(html).toContain('400 of 10,000 levels drawn, at evenly spaced ranks');
    expect(html).toContain('30 of 10,000 groups, evenly spaced in level order');
    // BLUPs past 50 levels are collapsed, and past 1000 cut.
    expect(html).toContain('<details><summary>g: 10000 levels (first 1000; <code>--format json</code> lists every level)</summary>');
  });

  it('a binary response gets binned residual and calibration plots', async () => {
    const { fit, model } = largeFit(100_000, true);
    const r = buildResults(fit, model, { formula: 'y ~ x + (1 + x | g)', family: logisticLike(), link: 'logit', fitSeconds: 1 });
    const html = await renderHtml(r, reportRows(r));
    const kinds = [...html.matchAll(/data-kind="([a-z-]+)"/g)].map((m) => m[1]);
    expect(kinds).toContain('binned-residuals');
    expect(kinds).not.toContain('residuals-fitted');
    expect(html).toContain('Observed vs fitted (binned)');
    expect(html).toContain('100,000 rows in 200 bins of about 500 by fitted value');
  });
});
