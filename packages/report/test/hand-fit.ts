import type { Family, LatentVariance, ModelMatrices, RawFit } from '@glmm/core';

/**
 * A tiny hand-made fit: 6 used rows (input row 4 excluded), fixed effects
 * (Intercept) and x, a correlated (1 + x | g) term with 2 levels and a
 * (1 | h) term with 3 levels. Every derived number in the tests is computed
 * by hand from these values.
 */
export function handModel(): ModelMatrices {
  const n = 6;
  const x = [0, 1, 2, 0, 1, 2];
  return {
    n,
    p: 2,
    responseName: 'y',
    y: Float64Array.of(1, 2, 3, 2, 3, 4),
    weights: new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X: Float64Array.from([1, 1, 1, 1, 1, 1, ...x]),
    fixedNames: ['(Intercept)', 'x'],
    terms: [
      {
        group: 'g',
        levels: ['a', 'b'],
        index: Int32Array.of(0, 0, 0, 1, 1, 1),
        columns: [new Float64Array(n).fill(1), Float64Array.from(x)],
        columnNames: ['(Intercept)', 'x'],
        covariance: 'unstructured',
      },
      {
        group: 'h',
        levels: ['p', 'q', 'r'],
        index: Int32Array.of(0, 1, 2, 0, 1, 2),
        columns: [new Float64Array(n).fill(1)],
        columnNames: ['(Intercept)'],
        covariance: 'unstructured',
      },
    ],
    usedRows: Int32Array.of(0, 1, 2, 4, 5, 6),
    excluded: { count: 1, byReason: { missing: 1 }, rows: [{ row: 4, column: 'x', reason: 'missing' }] },
  };
}

export function handFit(overrides: Partial<RawFit> = {}): RawFit {
  return {
    method: 'REML',
    nAGQ: 1,
    beta: Float64Array.of(2, 0.1),
    // SEs 0.2 and 0.05; covariance 0.002.
    vcovBeta: Float64Array.of(0.04, 0.002, 0.002, 0.0025),
    theta: Float64Array.of(1, 0.15, 0.2, 0.5),
    sigma: 2,
    dispersion: 4,
    logLik: -10,
    df: 7,
    remlCriterion: 20,
    conditionalDeviance: 5.5,
    termCovariances: [
      // Variances 4 and 0.25, covariance 0.6: correlation 0.6 / (2 * 0.5) = 0.6.
      { group: 'g', columnNames: ['(Intercept)', 'x'], covariance: Float64Array.of(4, 0.6, 0.6, 0.25), correlated: true },
      { group: 'h', columnNames: ['(Intercept)'], covariance: Float64Array.of(1), correlated: true },
    ],
    modes: [
      {
        group: 'g',
        columnNames: ['(Intercept)', 'x'],
        levels: ['a', 'b'],
        values: Float64Array.of(0.5, -0.1, -0.5, 0.1),
        condSd: Float64Array.of(0.3, 0.05, 0.31, 0.06),
      },
      { group: 'h', columnNames: ['(Intercept)'], levels: ['p', 'q', 'r'], values: Float64Array.of(1, 0, -1), condSd: Float64Array.of(0.4, 0.4, 0.4) },
    ],
    eta: Float64Array.of(1.5, 1.9, 2.3, 2.6, 2.2, 1.8),
    fitted: Float64Array.of(1.5, 1.9, 2.3, 2.6, 2.2, 1.8),
    residResponse: Float64Array.of(-0.5, 0.1, 0.7, -0.6, 0.8, 2.2),
    residDeviance: Float64Array.of(-0.5, 0.1, 0.7, -0.6, 0.8, 2.2),
    residPearson: Float64Array.of(-0.25, 0.05, 0.35, -0.3, 0.4, 1.1),
    singular: false,
    convergence: { converged: true, iterations: 12, evaluations: 40, optimizer: 'nelder-mead', message: 'simplex converged' },
    warnings: [],
    ...overrides,
  };
}

/** A family stub: only the members buildResults may use are meaningful. */
export function stubFamily(
  name: string,
  hasDispersion: boolean,
  latent: (link: string, ctx: { dispersion: number; meanEta: number; randomVariance: number }) => LatentVariance | null,
): Family & { calls: { dispersion: number; meanEta: number; randomVariance: number }[] } {
  const calls: { dispersion: number; meanEta: number; randomVariance: number }[] = [];
  const unused = (): never => {
    throw new Error('not used by report');
  };
  return {
    name,
    canonicalLink: 'identity',
    allowedLinks: ['identity'],
    hasDispersion,
    variance: unused,
    devResiduals: unused,
    aic: unused,
    validMu: unused,
    checkResponse: unused,
    startingMu: unused,
    latentResidualVariance(link, ctx) {
      calls.push(ctx);
      return latent(link, ctx);
    },
    calls,
  };
}

export const gaussianLike = (): ReturnType<typeof stubFamily> =>
  stubFamily('gaussian', true, (_link, ctx) => ({ value: ctx.dispersion, formula: 'sigma^2 (residual variance)' }));
