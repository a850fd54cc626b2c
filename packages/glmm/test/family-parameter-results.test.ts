import { describe, expect, it } from 'vitest';
import { loadFamilyReference } from '@glmm/datasets';
import { fitGlmm, readCsvFile } from '@glmm/glmm';
import { validateResults } from '@glmm/report';

/*
 * What the results contract carries for a family parameter estimated by ML
 * (#13): familyParameter in the JSON, and the ICC's latent residual variance
 * taken from the family at the estimate (parameter.at), not from the plugin,
 * which for the negative binomial is its Poisson limit.
 */

function nbOffsetFit() {
  const { csvPath, reference } = loadFamilyReference<{ formula: string }>('nb_offset_laplace');
  const data = readCsvFile(csvPath);
  const results = fitGlmm({ formula: reference.formula, data, family: 'negative_binomial', categorical: ['trt', 'g'] });
  return { results, data };
}

describe('a fit with an estimated family parameter, as results', () => {
  const { results, data } = nbOffsetFit();

  it('carries familyParameter through JSON, valid against the results schema', () => {
    const json = JSON.parse(JSON.stringify(results));
    expect(validateResults(json).errors).toEqual([]);
    expect(json.familyParameter.name).toBe('shape');
    expect(json.familyParameter.estimate).toBe(results.familyParameter!.estimate);
    expect(json.familyParameter.stdError).toBeGreaterThan(0);
    // One more parameter than the Poisson model: theta, three fixed effects, the shape.
    expect(results.fit.df).toBe(5);
  });

  it('has the ICC of NB2 at the estimated shape: ln(1 + 1/lambda + 1/theta) as residual variance', () => {
    const [b0, bx, btrt] = results.fixedEffects.map((f) => f.estimate) as [number, number, number];
    const x = data.columns['x'] as ArrayLike<number>;
    const exposure = data.columns['exposure'] as ArrayLike<number>;
    const n = results.nobs;
    const trt = trtShare(data.columns['trt']);
    let meanEta = 0;
    for (let i = 0; i < n; i++) meanEta += b0 + bx * x[i]! + Math.log(exposure[i]!);
    meanEta = meanEta / n + btrt * trt;
    const s2 = results.varianceComponents.find((r) => r.group === 'g')!.variance;
    const lambda = Math.exp(meanEta + s2 / 2);
    const theta = results.familyParameter!.estimate;
    const residual = Math.log1p(1 / lambda + 1 / theta);
    const icc = results.icc.find((r) => r.group === 'g')!;
    expect(icc.residualVariance).toBeCloseTo(residual, 12);
    expect(icc.value).toBeCloseTo(s2 / (s2 + residual), 12);
    // The Poisson limit's ln(1 + 1/lambda) would be 1/theta smaller: far outside the tolerance above.
    expect(residual - Math.log1p(1 / lambda)).toBeGreaterThan(0.2);
  });
});

/** Share of rows with trt = "trt" (the level the model's trttrt column codes); the CSV reader dictionary-encodes text. */
function trtShare(column: unknown): number {
  const { codes, levels } = column as { codes: Int32Array; levels: readonly string[] };
  let k = 0;
  for (const c of codes) if (levels[c] === 'trt') k++;
  return k / codes.length;
}
