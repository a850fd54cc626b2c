import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { MixedSystem, RandomEffectsStructure } from '@glmm/engine';
import { randomModel, scalarModel } from './structured-model.js';

/** [Z X] dense (n x (q + p), row-major) with Z built from the terms. */
function denseDesign(model: ModelMatrices, withX: boolean): { M: Float64Array; d: number; q: number } {
  const q = model.terms.reduce((s, t) => s + t.levels.length * t.columns.length, 0);
  const p = withX ? model.p : 0;
  const d = q + p;
  const n = model.n;
  const M = new Float64Array(n * d);
  let base = 0;
  for (const t of model.terms) {
    const k = t.columns.length;
    for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) M[r * d + base + t.index[r]! * k + c] = t.columns[c]![r]!;
    base += t.levels.length * k;
  }
  for (let r = 0; r < n; r++) for (let a = 0; a < p; a++) M[r * d + q + a] = model.X[a * n + r]!;
  return { M, d, q };
}

/** The symmetric matrix the system holds in A, expanded from its block layout. */
function expandA(system: MixedSystem): { D: Float64Array; d: number } {
  const { nNodes, sizes, nodeStart, colPtr, rowIdx, diagOffset, blockOffset } = system.pattern;
  const d = nodeStart[nNodes]!;
  const D = new Float64Array(d * d);
  const A = system.A;
  for (let j = 0; j < nNodes; j++) {
    const sj = sizes[j]!;
    const oj = nodeStart[j]!;
    for (let c = 0; c < sj; c++)
      for (let a = 0; a < sj; a++) D[(oj + a) * d + oj + c] = A[diagOffset[j]! + c * sj + a]!;
    for (let b = colPtr[j]!; b < colPtr[j + 1]!; b++) {
      const i = rowIdx[b]!;
      const si = sizes[i]!;
      const oi = nodeStart[i]!;
      for (let c = 0; c < sj; c++)
        for (let a = 0; a < si; a++) {
          const v = A[blockOffset[b]! + c * si + a]!;
          D[(oi + a) * d + oj + c] = v;
          D[(oj + c) * d + oi + a] = v;
        }
    }
  }
  return { D, d };
}

interface Reference {
  cross: Float64Array;
  zty: Float64Array;
  xty: Float64Array;
  yty: number;
  logDetW: number;
}

/** Brute force [Z X]'W[Z X], [Z X]'W r and r'W r, r = y - offset. */
function reference(model: ModelMatrices, w: Float64Array, withX: boolean): Reference {
  const { M, d, q } = denseDesign(model, withX);
  const n = model.n;
  const cross = new Float64Array(d * d);
  const rhs = new Float64Array(d);
  let yty = 0;
  let logDetW = 0;
  for (let r = 0; r < n; r++) {
    const res = model.y[r]! - model.offset[r]!;
    yty += w[r]! * res * res;
    logDetW += Math.log(w[r]!);
    for (let i = 0; i < d; i++) {
      const wi = w[r]! * M[r * d + i]!;
      if (wi === 0) continue;
      rhs[i]! += wi * res;
      for (let j = 0; j < d; j++) cross[i * d + j]! += wi * M[r * d + j]!;
    }
  }
  return { cross, zty: rhs.slice(0, q), xty: rhs.slice(q), yty, logDetW };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    expect(Math.abs(actual[i]! - e), `${what}[${i}]: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(1e-11 * (1 + Math.abs(e)));
  }
}

function checkAgainstReference(model: ModelMatrices, withX: boolean, label: string): void {
  const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
  const system = new MixedSystem(re, withX);
  const ref = reference(model, model.weights, withX);
  const products = system.accumulateWithResponse(model.weights, model.y, model.offset);
  const fused = expandA(system);
  expectClose(fused.D, ref.cross, `${label}: A`);
  expectClose(products.zty, ref.zty, `${label}: Z'Wr`);
  expectClose(products.xty, ref.xty, `${label}: X'Wr`);
  expectClose([products.yty, products.logDetW], [ref.yty, ref.logDetW], `${label}: r'Wr, log det W`);
  expect(products.unitWeights).toBe(model.weights.every((w) => w === 1));
  // The design-only pass must leave the same A, also after a response pass reused the buffers.
  system.accumulate(model.weights);
  expectClose(expandA(system).D, ref.cross, `${label}: A without response`);
}

describe('MixedSystem.accumulateWithResponse', () => {
  it('fuses the cross-products of one random intercept with unit weights (p = 0..6, both kernels)', () => {
    for (let p = 0; p <= 6; p++) checkAgainstReference(scalarModel({ seed: 10 + p, p }), true, `intercept p=${p}`);
  });

  it('fuses them with prior weights and an offset', () => {
    for (let p = 0; p <= 6; p++)
      checkAgainstReference(scalarModel({ seed: 20 + p, p, weighted: true, offset: true }), true, `weighted p=${p}`);
  });

  it('fuses them for a random slope without intercept (z is not all ones)', () => {
    for (const p of [1, 3, 5])
      checkAgainstReference(scalarModel({ seed: 30 + p, p, slope: true, weighted: true, offset: true }), true, `slope p=${p}`);
  });

  it('fuses them without the fixed-effects node (the Laplace objective\'s system)', () => {
    checkAgainstReference(scalarModel({ seed: 40, p: 3, weighted: true, offset: true }), false, 'no X');
  });

  it('spans more rows than one kernel call handles', () => {
    checkAgainstReference(scalarModel({ seed: 41, p: 3, weighted: true, offset: true, n: 40_000, levels: 101 }), true, 'long');
  });

  it('sums log det W exactly when products of weights leave the double range', () => {
    for (const weightScale of [1e-3, 1e3])
      checkAgainstReference(scalarModel({ seed: 42, p: 2, weighted: true, weightScale, n: 20_000 }), true, `scale ${weightScale}`);
  });

  it('matches brute force on crossed, nested and slope terms (the general path)', () => {
    for (const seed of [5, 6]) {
      const { model } = randomModel(seed);
      checkAgainstReference(model, true, `structured ${seed}`);
      checkAgainstReference({ ...model, weights: new Float64Array(model.n).fill(1) }, true, `structured unit ${seed}`);
    }
  });

  it('starts from zero on every call', () => {
    const model = scalarModel({ seed: 50, p: 2, weighted: true });
    const re = new RandomEffectsStructure(model, [unstructuredCovariance]);
    const system = new MixedSystem(re, true);
    system.accumulate(new Float64Array(model.n).fill(3));
    system.accumulateWithResponse(new Float64Array(model.n).fill(2), model.y, model.offset);
    const once = system.accumulateWithResponse(model.weights, model.y, model.offset);
    const ref = reference(model, model.weights, true);
    expectClose(expandA(system).D, ref.cross, 'A');
    expectClose(once.zty, ref.zty, "Z'Wr");
  });
});
