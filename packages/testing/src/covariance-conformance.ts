import type { CovarianceStructure } from '@glmm/core';
import { describe, expect, it } from 'vitest';

export interface CovarianceConformanceOptions {
  /** Term sizes to check (columns of the random-effects term). Default 1 to 4. */
  readonly sizes?: readonly number[];
}

/** A deterministic pseudo-random theta inside the bounds (no Math.random: failures must reproduce). */
function thetaWithin(lower: Float64Array, seed: number): Float64Array {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  return lower.map((lb) => (lb === -Infinity ? 2 * next() - 1 : lb + 0.1 + next()));
}

/**
 * The conformance suite of a covariance structure plugin: the sizes of its
 * parameter vectors and names agree, Lambda is lower triangular and finite,
 * the start is a proper factor, an uncorrelated structure leaves the
 * off-diagonal at zero, and what it declares holds: `linearInTheta` (Lambda
 * of a linear combination is that combination of Lambdas) and
 * `diagonalThetaPositions` (Lambda_cc is the theta at position c, bounded
 * at 0, and every other start entry as the engine expects).
 */
export function runCovarianceConformance(structure: CovarianceStructure, options: CovarianceConformanceOptions = {}): void {
  const sizes = options.sizes ?? [1, 2, 3, 4];
  describe(`covariance conformance: ${structure.name}`, () => {
    for (const k of sizes) {
      const nTheta = structure.nTheta(k);
      const lambdaAt = (theta: Float64Array) => {
        const out = new Float64Array(k * k).fill(Number.NaN);
        structure.lambda(theta, k, out);
        return out;
      };

      it(`k = ${k}: parameter vectors, names and bounds agree in length`, () => {
        expect(Number.isInteger(nTheta) && nTheta >= 1).toBe(true);
        expect(structure.lowerBounds(k).length).toBe(nTheta);
        expect(structure.initialTheta(k).length).toBe(nTheta);
        const names = structure.thetaNames(Array.from({ length: k }, (_, i) => `c${i}`));
        expect(names.length).toBe(nTheta);
        expect(new Set(names).size).toBe(nTheta);
      });

      it(`k = ${k}: Lambda is finite and lower triangular, and the start is a proper factor`, () => {
        const lower = structure.lowerBounds(k);
        const start = structure.initialTheta(k);
        start.forEach((v, i) => expect(v).toBeGreaterThanOrEqual(lower[i]!));
        for (const theta of [start, thetaWithin(lower, 7 + k), thetaWithin(lower, 91 + k)]) {
          const L = lambdaAt(theta);
          for (let c = 0; c < k; c++)
            for (let r = 0; r < k; r++) {
              expect(Number.isFinite(L[c * k + r]!), `Lambda[${r}, ${c}] at ${[...theta]}`).toBe(true);
              if (r < c) expect(L[c * k + r], `Lambda[${r}, ${c}] above the diagonal`).toBe(0);
              if (r > c && !structure.correlated) expect(L[c * k + r], `Lambda[${r}, ${c}] of an uncorrelated structure`).toBe(0);
            }
        }
        const L0 = lambdaAt(start);
        for (let c = 0; c < k; c++) expect(L0[c * k + c]!, 'the start has a positive diagonal').toBeGreaterThan(0);
      });

      if (structure.linearInTheta)
        it(`k = ${k}: declared linear in theta, and it is`, () => {
          const lower = structure.lowerBounds(k);
          const u = thetaWithin(lower, 3 + k);
          const v = thetaWithin(lower, 5 + k);
          const a = 0.7;
          const b = -1.9;
          const Lu = lambdaAt(u);
          const Lv = lambdaAt(v);
          const Lc = lambdaAt(u.map((x, i) => a * x + b * v[i]!));
          for (let e = 0; e < k * k; e++) expect(Lc[e]!).toBeCloseTo(a * Lu[e]! + b * Lv[e]!, 12);
        });

      const positions = structure.diagonalThetaPositions?.(k);
      if (positions)
        it(`k = ${k}: declared diagonal positions hold Lambda's diagonal, bounded at 0`, () => {
          expect(positions.length).toBe(k);
          const lower = structure.lowerBounds(k);
          const start = structure.initialTheta(k);
          for (let c = 0; c < k; c++) {
            expect(lower[positions[c]!]).toBe(0);
            const theta = Float64Array.from(start);
            theta[positions[c]!] = 0.37;
            const L = lambdaAt(theta);
            for (let r = 0; r < k; r++)
              for (let col = 0; col < k; col++) {
                const expected = r === col ? (r === c ? 0.37 : start[positions[r]!]!) : 0;
                expect(L[col * k + r], `Lambda[${r}, ${col}] with theta[${positions[c]}] = 0.37`).toBe(expected);
              }
          }
        });
    }
  });
}
