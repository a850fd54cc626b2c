import { Matrix, determinant, inverse } from 'ml-matrix';
import type { ModelMatrices } from '@glmm/core';
import type { RandomEffectsStructure } from '@glmm/engine';

/** Dense Z (n x q, row-major) from the model's terms, in the layout of u. */
export function denseZ(model: ModelMatrices): { Z: Float64Array; q: number } {
  const q = model.terms.reduce((s, t) => s + t.levels.length * t.columns.length, 0);
  const Z = new Float64Array(model.n * q);
  let base = 0;
  for (const t of model.terms) {
    const k = t.columns.length;
    for (let r = 0; r < model.n; r++) for (let c = 0; c < k; c++) Z[r * q + base + t.index[r]! * k + c] = t.columns[c]![r]!;
    base += t.levels.length * k;
  }
  return { Z, q };
}

/**
 * Brute force: V0 = Z Lambda Lambda' Z' + W^{-1} (in units of sigma^2), then the
 * profiled REML / ML deviance and the GLS beta from their textbook definitions
 * with dense n x n algebra -- independent of the blocked engine.  The response
 * is y - offset.
 */
export function denseLmm(re: RandomEffectsStructure, theta: Float64Array, reml: boolean): { deviance: number; beta: number[] } {
  const model = re.model;
  const { Z, q } = denseZ(model);
  const lambdas = re.lambdas(theta);
  const n = model.n;
  const p = model.p;
  const ZL = new Matrix(n, q);
  for (let j = 0; j < q; j++) {
    const u = new Float64Array(q);
    u[j] = 1;
    const b = re.applyLambda(lambdas, u);
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let m = 0; m < q; m++) s += Z[r * q + m]! * b[m]!;
      ZL.set(r, j, s);
    }
  }
  const V = ZL.mmul(ZL.transpose());
  for (let r = 0; r < n; r++) V.set(r, r, V.get(r, r) + 1 / model.weights[r]!);
  const Vi = inverse(V);
  const y = Matrix.columnVector(Array.from(model.y, (v, r) => v - model.offset[r]!));
  let res = y;
  let beta: number[] = [];
  let ldXtViX = 0;
  if (p > 0) {
    const X = new Matrix(n, p);
    for (let r = 0; r < n; r++) for (let a = 0; a < p; a++) X.set(r, a, model.X[a * n + r]!);
    const XtViX = X.transpose().mmul(Vi).mmul(X);
    const b = inverse(XtViX).mmul(X.transpose()).mmul(Vi).mmul(y);
    res = y.sub(X.mmul(b));
    beta = b.getColumn(0);
    ldXtViX = Math.log(determinant(XtViX));
  }
  const rss = res.transpose().mmul(Vi).mmul(res).get(0, 0);
  const ldV = Math.log(determinant(V));
  const deviance = reml
    ? ldV + ldXtViX + (n - p) * (1 + Math.log((2 * Math.PI * rss) / (n - p)))
    : ldV + n * (1 + Math.log((2 * Math.PI * rss) / n));
  return { deviance, beta };
}
