import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '@glmm/distributions';
import type { RandomTerm } from '@glmm/core';
import { sparseZ } from '../src/design-matrices.js';
import { addTerm, addTermVariance, fixedPart, fixedVariance } from '../src/linear-predictor.js';
import { drawEffects, semidefiniteCholesky } from '../src/random-effects-draw.js';

describe('linear predictor pieces', () => {
  // X = [1 1 1; 0 2 5]' (n = 3, p = 2), V = [[4, 1], [1, 2]].
  const X = Float64Array.of(1, 1, 1, 0, 2, 5);
  const V = Float64Array.of(4, 1, 1, 2);

  it('offset + X beta, and x_i V x_i by rows', () => {
    expect(Array.from(fixedPart(X, 3, Float64Array.of(2, -1), Float64Array.of(0.5, 0, 0)))).toEqual([2.5, 0, -3]);
    // x' V x = 4 + 2 * 1 * x2 + 2 x2^2.
    expect(Array.from(fixedVariance(X, 3, 2, V))).toEqual([4, 4 + 4 + 8, 4 + 10 + 50]);
  });

  it('adds Z b per term, skipping rows whose level is unseen (-1), and z Sigma z where asked', () => {
    const term = { index: Int32Array.of(1, -1, 0), columns: [Float64Array.of(1, 1, 1), Float64Array.of(3, 4, 5)] };
    const b = Float64Array.of(10, 1, 20, 2); // level 0: (10, 1); level 1: (20, 2)
    expect(Array.from(addTerm(term, b, new Float64Array(3)))).toEqual([20 + 6, 0, 10 + 5]);
    const S = Float64Array.of(1, 0.5, 0.5, 2);
    const out = addTermVariance(term, S, (i) => term.index[i]! < 0, new Float64Array(3));
    expect(Array.from(out)).toEqual([0, 1 + 2 * 0.5 * 4 + 2 * 16, 0]);
  });
});

describe('new random effects', () => {
  it('factor a positive definite and a singular covariance, with C C\' = S', () => {
    for (const S of [Float64Array.of(4, 2, 2, 3), Float64Array.of(1, 2, 2, 4), Float64Array.of(0, 0, 0, 2)]) {
      const C = semidefiniteCholesky(S, 2);
      expect(C[2]).toBe(0); // lower triangular
      const back = [C[0]! * C[0]!, C[0]! * C[1]!, C[1]! * C[1]! + C[3]! * C[3]!];
      expect(back[0]).toBeCloseTo(S[0]!, 12);
      expect(back[1]).toBeCloseTo(S[1]!, 12);
      expect(back[2]).toBeCloseTo(S[3]!, 12);
    }
  });

  it('draw with the covariance asked for', () => {
    const S = Float64Array.of(4, 1.2, 1.2, 1);
    const b = drawEffects(semidefiniteCholesky(S, 2), 2, 20000, new Xoshiro128(1));
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let l = 0; l < 20000; l++) {
      s00 += b[2 * l]! ** 2;
      s01 += b[2 * l]! * b[2 * l + 1]!;
      s11 += b[2 * l + 1]! ** 2;
    }
    // Within 4 standard errors: Var(b_a b_c) = S_aa S_cc + S_ac^2 for normal b.
    const within = (sum: number, a: number, c: number, ac: number): void =>
      expect(Math.abs(sum / 20000 - ac)).toBeLessThan(4 * Math.sqrt((a * c + ac * ac) / 20000));
    within(s00, 4, 4, 4);
    within(s01, 4, 1, 1.2);
    within(s11, 1, 1, 1);
  });
});

describe('Z in CSC form', () => {
  it('orders columns by term, level and term column, with each level\'s rows ascending', () => {
    const slope: RandomTerm = {
      group: 'g',
      levels: ['a', 'b'],
      index: Int32Array.of(1, 0, 1, 0),
      columns: [Float64Array.of(1, 1, 1, 1), Float64Array.of(5, 6, 7, 8)],
      columnNames: ['(Intercept)', 'x'],
      covariance: 'unstructured',
    };
    const intercept: RandomTerm = { ...slope, group: 'h', levels: ['u', 'v', 'w'], index: Int32Array.of(2, 2, 0, 1), columns: [Float64Array.of(1, 1, 1, 1)], columnNames: ['(Intercept)'] };
    const { Z, zColumns } = sparseZ([slope, intercept], 4);
    expect([Z.rows, Z.columns]).toEqual([4, 7]);
    expect(Array.from(Z.columnPointers)).toEqual([0, 2, 4, 6, 8, 9, 10, 12]);
    expect(Array.from(Z.rowIndices)).toEqual([1, 3, 1, 3, 0, 2, 0, 2, 2, 3, 0, 1]);
    expect(Array.from(Z.values)).toEqual([1, 1, 6, 8, 1, 1, 5, 7, 1, 1, 1, 1]);
    expect(zColumns.map((c) => `${c.group}:${c.level}:${c.column}`)).toEqual(['g:a:(Intercept)', 'g:a:x', 'g:b:(Intercept)', 'g:b:x', 'h:u:(Intercept)', 'h:v:(Intercept)', 'h:w:(Intercept)']);
  });
});
