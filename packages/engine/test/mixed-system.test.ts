import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { diagonalCovariance, unstructuredCovariance } from '@glmm/covariance';
import { MixedSystem, RandomEffectsStructure } from '@glmm/engine';
import { BlockCholesky, choleskyInPlace } from '@glmm/linalg';
import { randomModel, rng, scalarModel } from './structured-model.js';

/** Dense Lambda (q x q, row-major) from the per-term factors. */
function denseLambda(re: RandomEffectsStructure, lambdas: Float64Array[]): Float64Array {
  const q = re.q;
  const D = new Float64Array(q * q);
  for (let t = 0; t < re.nTerms; t++) {
    const k = re.k[t]!;
    for (let j = 0; j < re.levels[t]!; j++) {
      const o = re.coefBase[t]! + j * k;
      for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) D[(o + a) * q + o + c] = lambdas[t]![c * k + a]!;
    }
  }
  return D;
}

/**
 * Factors the system at theta and checks the log-determinants and a solve
 * against a dense Cholesky of [Lambda'Z'WZ Lambda + I, Lambda'Z'WX; X'WZ Lambda, X'WX].
 */
function checkFactor(model: ModelMatrices, Z: Float64Array, q: number, re: RandomEffectsStructure, theta: Float64Array): void {
  const system = new MixedSystem(re, true);
  system.accumulate(model.weights);
  const lambdas = re.lambdas(theta);
  expect(system.factor(lambdas)).toBe(-1);
  const L = denseLambda(re, lambdas);
  const n = model.n;
  const p = model.p;
  const d = q + p;
  // Dense [Z Lambda, X] with sqrt weights.
  const M = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    const sw = Math.sqrt(model.weights[r]!);
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let m = 0; m < q; m++) s += Z[r * q + m]! * L[m * q + j]!;
      M[r * d + j] = sw * s;
    }
    for (let a = 0; a < p; a++) M[r * d + q + a] = sw * model.X[a * n + r]!;
  }
  const A = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let s = i === j && i < q ? 1 : 0;
      for (let r = 0; r < n; r++) s += M[r * d + i]! * M[r * d + j]!;
      A[j * d + i] = s;
    }
  const ref = Float64Array.from(A);
  expect(choleskyInPlace(ref, d)).toBe(true);
  let ldZ = 0;
  let ldX = 0;
  for (let i = 0; i < d; i++) (i < q ? (ldZ += 2 * Math.log(ref[i * d + i]!)) : (ldX += 2 * Math.log(ref[i * d + i]!)));
  expect(system.logDetZ()).toBeCloseTo(ldZ, 10);
  expect(system.logDetX()).toBeCloseTo(ldX, 10);
  const rhs = Float64Array.from({ length: d }, (_, i) => 1 + i / d);
  const x = Float64Array.from(rhs);
  system.chol.solveL(x);
  system.chol.solveLt(x);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += A[j * d + i]! * x[j]!;
    expect(s).toBeCloseTo(rhs[i]!, 9);
  }
}

describe('MixedSystem', () => {
  const { model, Z, q } = randomModel(7);
  const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
  const theta = Float64Array.from([0.7, 1.3, -0.4, 0.6, 0.9]);

  it('lays out theta and its bounds per term', () => {
    expect(re.nTheta).toBe(5);
    expect([...re.lower]).toEqual([0, 0, -Infinity, 0, 0]);
    expect(re.q).toBe(12 + 12 + 4);
  });

  it('Lambda, Z b and Z\'v agree with the dense matrices', () => {
    const lambdas = re.lambdas(theta);
    const L = denseLambda(re, lambdas);
    const u = Float64Array.from({ length: q }, (_, i) => Math.cos(i));
    const b = re.applyLambda(lambdas, u);
    for (let i = 0; i < q; i++) {
      let s = 0;
      for (let j = 0; j < q; j++) s += L[i * q + j]! * u[j]!;
      expect(b[i]).toBeCloseTo(s, 12);
    }
    const zb = re.addZb(b, new Float64Array(model.n));
    for (let r = 0; r < model.n; r++) {
      let s = 0;
      for (let j = 0; j < q; j++) s += Z[r * q + j]! * b[j]!;
      expect(zb[r]).toBeCloseTo(s, 12);
    }
    const v = Float64Array.from({ length: model.n }, (_, r) => Math.sin(r));
    const ztv = re.ztv(v);
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let r = 0; r < model.n; r++) s += Z[r * q + j]! * v[r]!;
      expect(ztv[j]).toBeCloseTo(s, 12);
    }
  });

  it('factors [Lambda\'Z\'WZ Lambda + I, Lambda\'Z\'WX; X\'WZ Lambda, X\'WX] like a dense Cholesky', () => {
    checkFactor(model, Z, q, re, theta);
  });

  it('factors models whose terms are all scalar (crossed and nested intercepts) like a dense Cholesky', () => {
    // Drop the slope term: what is left takes the scalar path of factor.
    const keep = [0, 2];
    const terms = keep.map((t) => model.terms[t]!);
    const q2 = terms.reduce((s, t) => s + t.levels.length, 0);
    const Z2 = new Float64Array(model.n * q2);
    let base = 0;
    for (const t of terms) {
      for (let r = 0; r < model.n; r++) Z2[r * q2 + base + t.index[r]!] = t.columns[0]![r]!;
      base += t.levels.length;
    }
    const scalarModel: ModelMatrices = { ...model, terms };
    const re2 = new RandomEffectsStructure(scalarModel, terms.map(() => unstructuredCovariance));
    checkFactor(scalarModel, Z2, q2, re2, Float64Array.from([0.7, 1.6]));
    checkFactor(scalarModel, Z2, q2, re2, Float64Array.from([0, 0.3]));
  });

  it('reports a factorisation failure instead of returning NaN', () => {
    const system = new MixedSystem(re, true);
    system.accumulate(new Float64Array(model.n)); // all-zero weights: X'WX singular
    expect(system.factor(re.lambdas(theta))).toBeGreaterThanOrEqual(0);
  });
});

describe('MixedSystem: scalar terms with a dense tail', () => {
  /** Two partially crossed intercept terms, enough levels that the factor has a dense tail. */
  function crossedScalarModel(seed: number): ModelMatrices {
    const base = scalarModel({ seed, p: 3, n: 2400, levels: 300, weighted: true });
    const rand = rng(seed + 1);
    const nB = 70;
    const idxA = base.terms[0]!.index;
    // Each A level meets a few B levels (like students and instructors).
    const index = Int32Array.from({ length: base.n }, (_, r) => (idxA[r]! + Math.floor(rand() * nB)) % nB);
    const termB = { ...base.terms[0]!, group: 'h', levels: Array.from({ length: nB }, (_, i) => `h${i}`), index };
    return { ...base, terms: [base.terms[0]!, termB] };
  }

  /** The blocks of Lambda'A Lambda + I written into a fresh factor of the same pattern, factored by the general path. */
  function referenceFactor(system: MixedSystem, lam: number[]): Float64Array {
    const { pattern, A, re } = system;
    const ref = new BlockCholesky(pattern);
    const nZ = re.nNodes;
    const scale = (node: number): number => {
      if (node >= nZ) return 1;
      let t = 0;
      while (node >= re.nodeBase[t + 1]!) t++;
      return lam[t]!;
    };
    for (let j = 0; j < pattern.nNodes; j++) {
      const sj = pattern.sizes[j]!;
      const d = pattern.diagOffset[j]!;
      for (let e = 0; e < sj * sj; e++) ref.values[d + e] = A[d + e]! * scale(j) * scale(j) + (j < nZ ? 1 : 0);
      for (let b = pattern.colPtr[j]!; b < pattern.colPtr[j + 1]!; b++) {
        const o = pattern.blockOffset[b]!;
        const si = pattern.sizes[pattern.rowIdx[b]!]!;
        for (let e = 0; e < si * sj; e++) ref.values[o + e] = A[o + e]! * scale(pattern.rowIdx[b]!) * scale(j);
      }
    }
    expect(ref.factor()).toBe(-1);
    return ref.values;
  }

  it('factors to the bit as scaling every block and factoring, across thetas and re-accumulations', () => {
    const model = crossedScalarModel(51);
    const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
    const system = new MixedSystem(re, true);
    expect(system.pattern.denseStart).toBeLessThan(system.pattern.nNodes);
    expect(system.pattern.denseStart).toBeLessThan(re.nNodes);
    for (const weights of [model.weights, Float64Array.from(model.weights, (w, r) => w * (1 + (r % 5) / 7))]) {
      system.accumulate(weights);
      for (const lam of [[0.7, 1.6], [1.3, 0.2], [0, 0.9]]) {
        expect(system.factor(re.lambdas(Float64Array.from(lam)))).toBe(-1);
        expect(Array.from(system.chol.values)).toEqual(Array.from(referenceFactor(system, lam)));
        const b = Float64Array.from({ length: system.chol.dimension }, (_, i) => Math.sin(i));
        const x1 = Float64Array.from(b);
        const x2 = Float64Array.from(b);
        system.chol.solveL(x1);
        system.chol.solveLFresh(x2);
        expect(Array.from(x2)).toEqual(Array.from(x1));
      }
    }
  });
});

describe('RandomEffectsStructure.zeroDiagonalRestarts', () => {
  const { model } = randomModel(5, 80);
  it('mirrors the column of a zero diagonal entry of an unstructured Lambda_t, with the diagonal moved off the bound', () => {
    const re = new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));
    // Terms: g3 (scalar), g1 (1 + x: theta L11, L21, L22), g2 (scalar).
    const o = re.thetaOffset[1]!;
    const theta = Float64Array.of(0.5, 0, -0.7, 0.4, 0.3);
    const restarts = re.zeroDiagonalRestarts(theta, 1e-2);
    expect(restarts).toHaveLength(1);
    expect(Array.from(restarts[0]!)).toEqual([0.5, 1e-2, 0.7, 0.4, 0.3]);
    expect(o).toBe(1);
    // Nothing below a zero L22, and nothing to mirror when L21 is 0 too.
    expect(re.zeroDiagonalRestarts(Float64Array.of(0.5, 0.6, -0.7, 0, 0.3), 1e-2)).toHaveLength(0);
    expect(re.zeroDiagonalRestarts(Float64Array.of(0.5, 0, 0, 0.4, 0.3), 1e-2)).toHaveLength(0);
    // Scalar terms at 0 have no column to mirror.
    expect(re.zeroDiagonalRestarts(Float64Array.of(0, 0.6, -0.7, 0.4, 0), 1e-2)).toHaveLength(0);
  });

  it('gives none for a diagonal covariance or one that is not an entry-wise map of theta', () => {
    const diag = new RandomEffectsStructure(model, model.terms.map((t) => (t.columns.length > 1 ? diagonalCovariance : unstructuredCovariance)));
    expect(diag.zeroDiagonalRestarts(Float64Array.of(0.5, 0, 0.4, 0.3), 1e-2)).toHaveLength(0);
    const doubled = {
      ...unstructuredCovariance,
      lambda: (theta: Float64Array, k: number, out: Float64Array) => {
        unstructuredCovariance.lambda(theta, k, out);
        for (let i = 0; i < k * k; i++) out[i]! *= 2;
      },
    };
    const re = new RandomEffectsStructure(model, model.terms.map((t) => (t.columns.length > 1 ? doubled : unstructuredCovariance)));
    expect(re.zeroDiagonalRestarts(Float64Array.of(0.5, 0, -0.7, 0.4, 0.3), 1e-2)).toHaveLength(0);
  });
});
