import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { Matrix, determinant, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { randomModel } from '../../engine/test/structured-model.js';
import { WorkingLmm, type WorkingLmmCriterion } from '../src/working-lmm.js';

/**
 * The working LMM's -2 log (restricted) likelihood from its textbook
 * definition with dense n x n algebra: z ~ N(X beta, s2 V0), V0 = Z Lambda
 * Lambda' Z' + W^{-1};
 *   ML:   n log(2 pi s2) + log|V0| + r'V0^{-1}r / s2,
 *   REML: (n - p) log(2 pi s2) + log|V0| + log|X'V0^{-1}X| + r'V0^{-1}r / s2,
 * r the GLS residual, s2 given or at its maximiser.
 */
function denseDeviance(re: RandomEffectsStructure, z: Float64Array, w: Float64Array, theta: Float64Array, c: WorkingLmmCriterion) {
  const { n, p, X } = re.model;
  const q = re.q;
  const lambdas = re.lambdas(theta);
  const ZL = new Matrix(n, q);
  for (let j = 0; j < q; j++) {
    const u = new Float64Array(q);
    u[j] = 1;
    const col = re.addZb(re.applyLambda(lambdas, u), new Float64Array(n));
    for (let r = 0; r < n; r++) ZL.set(r, j, col[r]!);
  }
  const V = ZL.mmul(ZL.transpose());
  for (let r = 0; r < n; r++) V.set(r, r, V.get(r, r) + 1 / w[r]!);
  const Vi = inverse(V);
  const Xm = new Matrix(n, p);
  for (let r = 0; r < n; r++) for (let a = 0; a < p; a++) Xm.set(r, a, X[a * n + r]!);
  const zm = Matrix.columnVector(Array.from(z));
  const XtViX = Xm.transpose().mmul(Vi).mmul(Xm);
  const beta = inverse(XtViX).mmul(Xm.transpose()).mmul(Vi).mmul(zm);
  const res = zm.sub(Xm.mmul(beta));
  const rss = res.transpose().mmul(Vi).mmul(res).get(0, 0);
  const m = c.reml ? n - p : n;
  const s2 = c.knownDispersion ?? rss / m;
  const deviance = m * Math.log(2 * Math.PI * s2) + Math.log(determinant(V)) + (c.reml ? Math.log(determinant(XtViX)) : 0) + rss / s2;
  return { deviance, beta: beta.getColumn(0), s2, vcov: inverse(XtViX).mul(s2) };
}

describe('WorkingLmm', () => {
  // Three terms (a correlated slope, a crossed and a nested intercept), weights not 1.
  const { model } = randomModel(7, 48);
  const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
  const z = Float64Array.from(model.y, (v, r) => v + 0.3 * Math.sin(r));
  const w = Float64Array.from(model.weights, (v, r) => v * (1 + 0.5 * Math.cos(r)));
  const theta = Float64Array.from({ length: re.nTheta }, (_, i) => (re.lower[i] === 0 ? 0.4 + 0.3 * i : -0.2));
  const criteria: WorkingLmmCriterion[] = [
    { reml: false, knownDispersion: 1 },
    { reml: true, knownDispersion: 1 },
    { reml: false, knownDispersion: 0.37 },
    { reml: false, knownDispersion: null },
    { reml: true, knownDispersion: null },
  ];
  for (const c of criteria) {
    it(`gives the dense pseudo-likelihood, GLS beta and vcov (${c.reml ? 'REML' : 'ML'}, s2 ${c.knownDispersion ?? 'profiled'})`, () => {
      const lmm = new WorkingLmm(re, c);
      lmm.accumulate(w, z);
      const s = lmm.solve(theta, true)!;
      const d = denseDeviance(re, z, w, theta, c);
      expect(s.deviance).toBeCloseTo(d.deviance, 8);
      expect(s.dispersion).toBeCloseTo(d.s2, 10);
      s.beta.forEach((b, a) => expect(b).toBeCloseTo(d.beta[a]!, 9));
      const inv = lmm.fixedInverse();
      for (let a = 0; a < model.p; a++) for (let b = 0; b < model.p; b++) expect(inv[b * model.p + a]! * s.dispersion).toBeCloseTo(d.vcov.get(a, b), 9);
    });
  }

  it('re-accumulates: new working data on the same structure give the new answer', () => {
    const lmm = new WorkingLmm(re, { reml: true, knownDispersion: null });
    lmm.accumulate(w, z);
    const first = lmm.deviance(theta);
    const z2 = z.map((v) => 2 * v - 1);
    lmm.accumulate(w, z2);
    expect(lmm.deviance(theta)).toBeCloseTo(denseDeviance(re, z2, w, theta, lmm.criterion).deviance, 8);
    lmm.accumulate(w, z);
    expect(lmm.deviance(theta)).toBe(first);
  });

  it('profiled s2 is the known-s2 deviance at its best s2', () => {
    const known = (s2: number) => {
      const lmm = new WorkingLmm(re, { reml: false, knownDispersion: s2 });
      lmm.accumulate(w, z);
      return lmm.solve(theta, false)!;
    };
    const profiled = new WorkingLmm(re, { reml: false, knownDispersion: null });
    profiled.accumulate(w, z);
    const s = profiled.solve(theta, false)!;
    expect(known(s.dispersion).deviance).toBeCloseTo(s.deviance, 10);
    expect(known(s.dispersion * 1.1).deviance).toBeGreaterThan(s.deviance);
    expect(known(s.dispersion / 1.1).deviance).toBeGreaterThan(s.deviance);
  });
});
