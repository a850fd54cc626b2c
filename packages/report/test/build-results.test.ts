import { describe, expect, it } from 'vitest';
import { buildResults, groupVariances, validateResults } from '../src/index.js';
import { gaussianLike, handFit, handModel, stubFamily } from './hand-fit.js';

const meta = (family = gaussianLike()) => ({
  formula: 'y ~ x + (1 + x | g) + (1 | h)',
  family,
  link: 'identity',
  fitSeconds: 0.25,
});
const Z975 = 1.959963984540054; // R: qnorm(0.975)

describe('buildResults', () => {
  it('derives Wald statistics, p-values and 95% intervals', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const [b0, b1] = r.fixedEffects;
    expect(b0!.name).toBe('(Intercept)');
    expect(b0!.estimate).toBe(2);
    expect(b0!.stdError).toBeCloseTo(0.2, 15);
    expect(b0!.statistic).toBeCloseTo(10, 12);
    // R: 2 * pnorm(-10) = 1.523970604832e-23, 2 * pnorm(-2) = 0.0455002638963584
    expect(Math.abs(b0!.pValue / 1.523970604832e-23 - 1)).toBeLessThan(1e-10);
    expect(b1!.statistic).toBeCloseTo(2, 12);
    expect(b1!.pValue).toBeCloseTo(0.0455002638963584, 14);
    expect(b0!.ciLower).toBeCloseTo(2 - Z975 * 0.2, 13);
    expect(b0!.ciUpper).toBeCloseTo(2 + Z975 * 0.2, 13);
    expect(b1!.ciLower).toBeCloseTo(0.0020018007729973, 13);
    expect(b1!.ciUpper).toBeCloseTo(0.1979981992270027, 13);
    expect(r.vcovFixed).toEqual([
      [0.04, 0.002],
      [0.002, 0.0025],
    ]);
  });

  it('honours another confidence level', () => {
    const r = buildResults(handFit(), handModel(), { ...meta(), confidenceLevel: 0.9 });
    // R: qnorm(0.95) = 1.64485362695147
    expect(r.fixedEffects[0]!.ciUpper).toBeCloseTo(2 + 1.64485362695147 * 0.2, 12);
  });

  it('lists variance components in VarCorr order with a Residual row', () => {
    const r = buildResults(handFit(), handModel(), meta());
    expect(r.varianceComponents).toEqual([
      { group: 'g', term: '(Intercept)', variance: 4, stdDev: 2 },
      { group: 'g', term: 'x', variance: 0.25, stdDev: 0.5 },
      { group: 'g', term: '(Intercept)', term2: 'x', variance: 0.6, stdDev: 0.6, covariance: 0.6, correlation: 0.6 },
      { group: 'h', term: '(Intercept)', variance: 1, stdDev: 1 },
      { group: 'Residual', term: null, variance: 4, stdDev: 2 },
    ]);
  });

  it('has no Residual row when the family has no dispersion', () => {
    const fam = stubFamily('binomial', false, () => ({ value: Math.PI ** 2 / 3, formula: 'pi^2/3 (logit)' }));
    const r = buildResults(handFit({ sigma: 1, dispersion: 1 }), handModel(), { ...meta(fam), link: 'logit' });
    expect(r.varianceComponents.some((v) => v.group === 'Residual')).toBe(false);
    expect(r.varianceComponents).toHaveLength(4);
    // ICC_g = 4 / (4 + 1 + pi^2/3)
    expect(r.icc[0]!.value).toBeCloseTo(4 / (5 + Math.PI ** 2 / 3), 14);
    expect(fam.calls).toEqual([{ dispersion: 1, meanEta: 2.1, randomVariance: 5 }]);
  });

  it('drops structural covariances of a diagonal term', () => {
    const model = handModel();
    const fit = handFit();
    const tc = fit.termCovariances;
    const r = buildResults(
      { ...fit, termCovariances: [{ ...tc[0]!, covariance: Float64Array.of(4, 0, 0, 0.25), correlated: false }, tc[1]!] },
      model,
      meta(),
    );
    expect(r.varianceComponents.filter((v) => v.term2 !== undefined)).toHaveLength(0);
  });

  it('computes ICCs and design effects per grouping factor', () => {
    const fam = gaussianLike();
    const r = buildResults(handFit(), handModel(), meta(fam));
    // Latent context: dispersion 4, mean X beta = 2 + 0.1 * mean(x) = 2.1, intercept variances 4 + 1.
    expect(fam.calls).toHaveLength(1);
    expect(fam.calls[0]!.dispersion).toBe(4);
    expect(fam.calls[0]!.meanEta).toBeCloseTo(2.1, 14);
    expect(fam.calls[0]!.randomVariance).toBe(5);
    expect(r.icc.map((i) => i.group)).toEqual(['g', 'h']);
    // g: 4 / (4 + 1 + 4) = 4/9, mean group size 6/2 = 3, DE = 1 + 2 * 4/9 = 17/9.
    expect(r.icc[0]!.value).toBeCloseTo(4 / 9, 15);
    expect(r.icc[0]!.meanGroupSize).toBe(3);
    expect(r.icc[0]!.designEffect).toBeCloseTo(17 / 9, 15);
    // h: 1/9, mean group size 2, DE = 10/9.
    expect(r.icc[1]!.value).toBeCloseTo(1 / 9, 15);
    expect(r.icc[1]!.meanGroupSize).toBe(2);
    expect(r.icc[1]!.designEffect).toBeCloseTo(10 / 9, 15);
    expect(r.icc[0]!.residualVariance).toBe(4);
    expect(r.icc[0]!.formula).toBe('sigma^2 (residual variance)');
  });

  it('omits the ICC when the family defines no latent residual variance', () => {
    const fam = stubFamily('odd', true, () => null);
    const r = buildResults(handFit(), handModel(), meta(fam));
    expect(r.icc).toEqual([]);
    expect(validateResults(r).valid).toBe(true);
  });

  it('uses the first column for a factor without an intercept and sums intercepts of a repeated factor', () => {
    const fit = handFit({
      termCovariances: [
        { group: 'g', columnNames: ['(Intercept)'], covariance: Float64Array.of(3), correlated: true },
        { group: 'g', columnNames: ['x'], covariance: Float64Array.of(0.5), correlated: true },
        { group: 'h', columnNames: ['z'], covariance: Float64Array.of(0.7), correlated: true },
        { group: 'k', columnNames: ['(Intercept)'], covariance: Float64Array.of(1), correlated: true },
        { group: 'k', columnNames: ['(Intercept)', 'w'], covariance: Float64Array.of(2, 0, 0, 9), correlated: true },
      ],
    });
    expect([...groupVariances(fit)]).toEqual([
      ['g', 3],
      ['h', 0.7],
      ['k', 3],
    ]);
  });

  it('computes the fit statistics', () => {
    const r = buildResults(handFit(), handModel(), meta());
    expect(r.fit.logLik).toBe(-10);
    expect(r.fit.df).toBe(7);
    expect(r.fit.aic).toBe(34);
    // 20 + log(6) * 7
    expect(r.fit.bic).toBeCloseTo(32.542316284596385, 12);
    expect(r.fit.deviance).toBe(20);
    expect(r.fit.conditionalDeviance).toBe(5.5);
    expect(r.fit.remlCriterion).toBe(20);
  });

  it('reads X for the mean fixed-effect predictor only when the family asks for it', () => {
    const model = handModel();
    const guarded = Object.defineProperty({ ...model }, 'X', {
      get: () => {
        throw new Error('X was read');
      },
    });
    const fam = stubFamily('gaussian', true, (_link, ctx) => ({ value: ctx.dispersion, formula: 'sigma^2' }));
    const r = buildResults(handFit(), guarded, meta(fam));
    expect(r.icc[0]!.value).toBeCloseTo(4 / (4 + 1 + 4), 14);
    const asks = stubFamily('poisson', false, (_link, ctx) => ({ value: ctx.meanEta, formula: 'mean eta' }));
    // mean(X beta) = 2 + 0.1 * mean(x) = 2.1.
    expect(buildResults(handFit(), model, meta(asks)).icc[0]!.residualVariance).toBeCloseTo(2.1, 14);
  });

  it('counts only the levels that occur, also when some never do', () => {
    const model = handModel();
    const h = model.terms[1]!;
    const sparse = { ...model, terms: [model.terms[0]!, { ...h, levels: ['p', 'q', 'r', 's'], index: Int32Array.of(0, 3, 0, 0, 3, 0) }] };
    const r = buildResults(handFit(), sparse, meta());
    expect(r.ngroups).toEqual({ g: 2, h: 2 });
    expect(r.icc.map((row) => row.meanGroupSize)).toEqual([3, 3]);
  });

  it('copies counts, parameters and metadata', () => {
    const r = buildResults(handFit(), handModel(), meta());
    expect(r.schemaVersion).toBe(2);
    expect(r.diagnosticsOutput).toEqual({ rows: 6, inline: false, file: null, format: null });
    expect(r.nobs).toBe(6);
    expect(r.ngroups).toEqual({ g: 2, h: 3 });
    expect(r.excluded.count).toBe(1);
    expect(r.theta).toEqual([1, 0.15, 0.2, 0.5]);
    expect(r.sigma).toBe(2);
    expect(r.dispersion).toBe(4);
    expect(r.method).toBe('REML');
    expect(r.family).toBe('gaussian');
    expect(r.link).toBe('identity');
    expect(r.timing).toEqual({ fitSeconds: 0.25 });
    expect(r.convergence.optimizer).toBe('nelder-mead');
  });

  it('lists the conditional modes', () => {
    const r = buildResults(handFit(), handModel(), meta());
    expect(r.randomEffects).toHaveLength(2 * 2 + 3);
    expect(r.randomEffects[0]).toEqual({ group: 'g', term: '(Intercept)', level: 'a', value: 0.5, condSd: 0.3 });
    expect(r.randomEffects[3]).toEqual({ group: 'g', term: 'x', level: 'b', value: 0.1, condSd: 0.06 });
    expect(r.randomEffects[6]).toEqual({ group: 'h', term: '(Intercept)', level: 'r', value: -1, condSd: 0.4 });
  });

  it('builds per-row diagnostics with 1-based input rows and each row\'s BLUPs', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const d = r.diagnostics;
    expect(d.row).toEqual([1, 2, 3, 5, 6, 7]);
    expect(d.fitted).toEqual([1.5, 1.9, 2.3, 2.6, 2.2, 1.8]);
    expect(d.pearsonResiduals[5]).toBe(1.1);
    expect(Object.keys(d.randomEffects)).toEqual(['g|(Intercept)', 'g|x', 'h|(Intercept)']);
    expect(d.randomEffects['g|(Intercept)']).toEqual([0.5, 0.5, 0.5, -0.5, -0.5, -0.5]);
    expect(d.randomEffects['g|x']).toEqual([-0.1, -0.1, -0.1, 0.1, 0.1, 0.1]);
    expect(d.randomEffects['h|(Intercept)']).toEqual([1, 0, -1, 1, 0, -1]);
  });

  it('adds a rows-excluded warning with advice, once', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const w = r.warnings.filter((x) => x.code === 'rows-excluded');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toBe('1 of 7 rows were excluded (missing: 1); columns: x');
    expect(w[0]!.advice.length).toBeGreaterThan(20);
    const model = handModel();
    const clean = buildResults(handFit(), { ...model, excluded: { count: 0, byReason: {}, rows: [] } }, meta());
    expect(clean.warnings.map((w) => w.code)).not.toContain('rows-excluded');
  });

  it('fails loudly on a number JSON cannot hold', () => {
    const fit = handFit({ vcovBeta: Float64Array.of(-0.04, 0, 0, 0.0025) });
    expect(() => buildResults(fit, handModel(), meta())).toThrow(/fixedEffects\[0\]\.stdError is NaN/);
  });

  it('survives a JSON round trip unchanged, the per-row diagnostics only when asked for inline', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const { diagnostics, ...rest } = r;
    expect(diagnostics.row).toHaveLength(6);
    const parsed = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
    expect(parsed).toEqual(rest);
    expect(parsed.diagnostics).toBeUndefined();
    expect(validateResults(parsed).errors).toEqual([]);
    r.diagnosticsOutput = { ...r.diagnosticsOutput, inline: true };
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('a copy that takes the property descriptors (as withDegreesOfFreedom makes) serialises its own fields', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const copy = Object.defineProperties(Object.create(Object.getPrototypeOf(r) as object) as typeof r, {
      ...Object.getOwnPropertyDescriptors(r),
      dfMethod: { value: 'residual', enumerable: true, writable: true, configurable: true },
    });
    copy.diagnosticsOutput = { ...copy.diagnosticsOutput, file: 'rows.csv', format: 'csv' };
    const parsed = JSON.parse(JSON.stringify(copy)) as Record<string, unknown>;
    expect(parsed.dfMethod).toBe('residual');
    expect(parsed.diagnosticsOutput).toEqual({ rows: 6, inline: false, file: 'rows.csv', format: 'csv' });
    expect(parsed.diagnostics).toBeUndefined();
    expect(JSON.parse(JSON.stringify(r))).not.toHaveProperty('dfMethod');
  });
});

describe('validateResults', () => {
  it('accepts a built result', () => {
    const out = validateResults(buildResults(handFit(), handModel(), meta()));
    expect(out.errors).toEqual([]);
    expect(out.valid).toBe(true);
  });

  it('holds diagnosticsOutput to the rows and to what the JSON carries', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const json = JSON.parse(JSON.stringify(r)) as { diagnosticsOutput: { rows: number; inline: boolean } };
    json.diagnosticsOutput.inline = true;
    expect(validateResults(json).errors).toEqual(['/diagnostics is missing although diagnosticsOutput.inline is true']);
    json.diagnosticsOutput = { ...json.diagnosticsOutput, inline: false, rows: 5 };
    expect(validateResults(json).errors).toEqual(['/diagnosticsOutput/rows is 5, nobs is 6']);
  });

  it('rejects broken objects with readable errors', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const broken = JSON.parse(JSON.stringify(r));
    delete broken.fit.aic;
    broken.fixedEffects[0].pValue = 'small';
    broken.warnings.push({ code: 'made-up', message: 'x', advice: 'y' });
    const out = validateResults(broken);
    expect(out.valid).toBe(false);
    expect(out.errors.some((e) => e.includes('/fit') && e.includes('aic'))).toBe(true);
    expect(out.errors.some((e) => e.startsWith('/fixedEffects/0/pValue'))).toBe(true);
    expect(out.errors.some((e) => e.startsWith(`/warnings/${broken.warnings.length - 1}/code`))).toBe(true);
  });

  it('rejects NaN numbers, unknown fields and ragged diagnostics', () => {
    const r = buildResults(handFit(), handModel(), meta());
    expect(validateResults({ ...r, sigma: NaN }).valid).toBe(false);
    expect(validateResults({ ...r, theta: [1, Infinity] }).errors).toEqual([
      'results.theta[1] is Infinity, which JSON cannot represent',
    ]);
    expect(validateResults({ ...r, extra: 1 }).valid).toBe(false);
    const ragged = { ...r, diagnostics: { ...r.diagnostics, fitted: [1, 2] } };
    const out = validateResults(ragged);
    expect(out.valid).toBe(false);
    expect(out.errors).toEqual(['/diagnostics/fitted has 2 entries, nobs is 6']);
  });

  it('requires correlation and covariance on covariance rows', () => {
    const r = buildResults(handFit(), handModel(), meta());
    const broken = JSON.parse(JSON.stringify(r));
    delete broken.varianceComponents[2].correlation;
    expect(validateResults(broken).valid).toBe(false);
  });
});
