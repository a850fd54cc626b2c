import { describe, expect, it } from 'vitest';
import { Matrix, determinant, inverse } from 'ml-matrix';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { LmmObjective } from '@glmm/estimator-reml';
import { randomModel } from '../../engine/test/structured-model.js';

/**
 * Brute force: V0 = Z Lambda Lambda' Z' + W^{-1} (in units of sigma^2), then the
 * profiled REML / ML deviance from its textbook definition with dense n x n
 * algebra -- independent of the blocked engine.
 */
function denseFit(seed: number, theta: Float64Array, reml: boolean): { deviance: number; beta: number[] } {
  const { model, Z, q } = randomModel(seed);
  const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
  const lambdas = re.lambdas(theta);
  const n = model.n;
  const p = model.p;
  const ZL = new Matrix(n, q);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < q; j++) {
      const u = new Float64Array(q);
      u[j] = 1;
      const b = re.applyLambda(lambdas, u);
      let s = 0;
      for (let m = 0; m < q; m++) s += Z[r * q + m]! * b[m]!;
      ZL.set(r, j, s);
    }
  const V = ZL.mmul(ZL.transpose());
  for (let r = 0; r < n; r++) V.set(r, r, V.get(r, r) + 1 / model.weights[r]!);
  const X = new Matrix(n, p);
  for (let r = 0; r < n; r++) for (let a = 0; a < p; a++) X.set(r, a, model.X[a * n + r]!);
  const y = Matrix.columnVector(Array.from(model.y));
  const Vi = inverse(V);
  const XtViX = X.transpose().mmul(Vi).mmul(X);
  const beta = inverse(XtViX).mmul(X.transpose()).mmul(Vi).mmul(y);
  const res = y.sub(X.mmul(beta));
  const rss = res.transpose().mmul(Vi).mmul(res).get(0, 0);
  const ldV = Math.log(determinant(V));
  const deviance = reml
    ? ldV + Math.log(determinant(XtViX)) + (n - p) * (1 + Math.log((2 * Math.PI * rss) / (n - p)))
    : ldV + n * (1 + Math.log((2 * Math.PI * rss) / n));
  return { deviance, beta: beta.getColumn(0) };
}

describe('profiled LMM deviance', () => {
  for (const reml of [true, false]) {
    for (const theta of [
      [0.7, 1.3, -0.4, 0.6, 0.9],
      [0.05, 2, 0.3, 0, 1.5],
    ]) {
      it(`${reml ? 'REML' : 'ML'} at theta = ${theta.join(', ')} matches dense algebra`, () => {
        const { model } = randomModel(11);
        const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
        const objective = new LmmObjective(re, reml);
        const th = Float64Array.from(theta);
        expect(objective.deviance(th)).toBeCloseTo(denseFit(11, th, reml).deviance, 8);
      });
    }
  }

  it('returns the GLS estimate of beta', () => {
    const { model } = randomModel(3);
    const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
    const th = Float64Array.from([1.1, 0.8, 0.2, 0.5, 0.3]);
    const sol = new LmmObjective(re, true).solve(th, true)!;
    const ref = denseFit(3, th, true).beta;
    expect(sol.beta[0]).toBeCloseTo(ref[0]!, 10);
    expect(sol.beta[1]).toBeCloseTo(ref[1]!, 10);
  });
});
