import { describe, expect, it } from 'vitest';
import { readCsvFile } from '@glmm/glmm';
import { fitReference, loadModelReference, modelReferenceNames, newDataCsv, type ModelReference } from './model-reference.js';

/**
 * Each case of model-reference/ against lme4: predictions within 1e-6 (LMMs)
 * and 1e-4 (GLMMs) relative, on the training rows and on new data with
 * levels the fit did not see; residuals, fixed-part SEs and estimates too.
 */
const tolerance = (ref: ModelReference): number => (ref.method === 'laplace' ? 1e-4 : 1e-6);

/**
 * Relative error, with a floor for values near 0: 1% of the column's largest
 * value by default; 1 for the linear predictor, where an absolute error is a
 * relative error of the mean (log link) or of the odds (logit).
 */
function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel: number, what: string, floor?: number): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = 0;
  let at = -1;
  const lowest = floor ?? 0.01 * Math.max(...expected.map(Math.abs));
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const scale = Math.max(Math.abs(e), lowest);
    const err = Math.abs(actual[i]! - e) / scale;
    if (err > worst) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at} (${actual[at]} vs R ${expected[at]})`).toBeLessThanOrEqual(rel);
}

for (const name of modelReferenceNames()) {
  const ref = loadModelReference(name);
  describe(`fitted model vs lme4: ${name} (${ref.formula}, ${ref.family})`, () => {
    const model = fitReference(ref);
    const tol = tolerance(ref);

    it('has lme4 estimates (under the requested coding and exclusions)', () => {
      expect(model.fixedNames).toEqual(ref.fixef.names);
      expectClose(model.beta, ref.fixef.values, tol, 'fixef');
      expect(model.logLik).toBeCloseTo(ref.logLik, 4);
      if (ref.exclude.length) {
        expect(model.results.excluded.rows.filter((r) => r.reason === 'excluded by request').map((r) => r.row)).toEqual(ref.exclude);
        expect(model.nobs).toBe(ref.fitted.conditional.length);
      }
    });

    it("gives lme4's fitted values, conditional and marginal, on both scales", () => {
      expectClose(model.fitted(), ref.fitted.conditional, tol, 'fitted');
      expectClose(model.fitted({ conditional: false }), ref.fitted.marginal, tol, 'marginal fitted');
      expectClose(model.fitted({ scale: 'link' }), ref.fitted.conditionalLink, tol, 'fitted (link)', 1);
      expectClose(model.fitted({ conditional: false, scale: 'link' }), ref.fitted.marginalLink, tol, 'marginal fitted (link)', 1);
      // The fitted values of the results contract are the conditional ones.
      expectClose(model.results.diagnostics.fitted, ref.fitted.conditional, tol, 'results.diagnostics.fitted');
    });

    it("gives lme4's residuals, conditional and marginal", () => {
      for (const type of ['response', 'pearson', 'deviance'] as const) {
        expectClose(model.residuals({ type }), ref.residuals[type], 10 * tol, `${type} residuals`);
        expectClose(model.residuals({ type, conditional: false }), ref.marginalResiduals[type], 10 * tol, `marginal ${type} residuals`);
      }
    });

    it('gives the standard errors of the fixed part, sqrt(diag(X V X\'))', () => {
      expectClose(model.predict({ scale: 'link', se: true }).se!, ref.fixedSe, 10 * tol, 'fixed-part SE');
    });

    if (ref.newdata) {
      const nd = ref.newdata;
      it('predicts new data as lme4 with allow.new.levels = TRUE, flagging the unseen levels', () => {
        const data = readCsvFile(newDataCsv(ref));
        const cond = model.predict({ data, scale: 'link', se: true });
        expectClose(cond.fit, nd.conditionalLink, tol, 'conditional link', 1);
        expectClose(model.predict({ data }).fit, nd.conditional, tol, 'conditional response');
        expectClose(model.predict({ data, conditional: false, scale: 'link' }).fit, nd.marginalLink, tol, 'marginal link', 1);
        expectClose(model.predict({ data, conditional: false }).fit, nd.marginal, tol, 'marginal response');
        expectClose(cond.se!, nd.seLink, 10 * tol, 'se (link)');
        for (const [group, flags] of Object.entries(nd.newLevel)) {
          const got = cond.newLevels.find((l) => l.group === group);
          expect(got, `flags for ${group}`).toBeDefined();
          expect(Array.from(got!.rows)).toEqual(flags);
        }
        expect(model.predict({ data, conditional: false }).newLevels).toEqual([]);
        if (nd.predictionInterval) {
          const pi = model.predict({ data, interval: 'prediction' }).interval!;
          const half = Array.from(pi.upper, (u, i) => (u - pi.lower[i]!) / 2);
          expectClose(half, nd.predictionInterval.conditionalHalfWidth, 10 * tol, 'conditional prediction interval');
          const mpi = model.predict({ data, conditional: false, interval: 'prediction' }).interval!;
          expectClose(Array.from(mpi.upper, (u, i) => (u - mpi.lower[i]!) / 2), nd.predictionInterval.marginalHalfWidth, 10 * tol, 'marginal prediction interval');
        }
      });
    }
  });
}
