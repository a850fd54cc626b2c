import { describe, expect, it } from 'vitest';
import { fastExp } from '@glmm/distributions';

describe('fastExp', () => {
  it('is within 2 ulp of Math.exp over the whole finite range', () => {
    let state = 12345;
    const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    let worst = 0;
    for (let i = 0; i < 200000; i++) {
      // Uniform over the range, and dense near 0 where most linear predictors live.
      const x = i % 2 === 0 ? rand() * 1420 - 710 : (rand() - 0.5) * 20;
      const e = Math.exp(x);
      const rel = Math.abs(fastExp(x) - e) / e;
      worst = Math.max(worst, rel);
    }
    expect(worst).toBeLessThanOrEqual(2 * Number.EPSILON);
  });

  it('gives exp(0) = 1 exactly and stays within 2 ulp on the table points k ln2 / 32', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    for (let k = -3200; k <= 3200; k += 7) {
      const x = (k * Math.LN2) / 32;
      expect(Math.abs(fastExp(x) / Math.exp(x) - 1), `x = ${x}`).toBeLessThanOrEqual(2 * Number.EPSILON);
    }
  });

  it('defers to Math.exp for special values, overflow and subnormal results', () => {
    for (const x of [Number.NaN, Infinity, -Infinity, 709.5, 709.78, 710, 1e6, -708.5, -745, -746, -1e6])
      expect(Object.is(fastExp(x), Math.exp(x)), `x = ${x}`).toBe(true);
  });

  it('is continuous across the table and range boundaries', () => {
    for (const x0 of [-708, 709, 0, Math.LN2 / 64, -Math.LN2 / 64, 3 * Math.LN2 / 64]) {
      for (const d of [-1e-12, 0, 1e-12]) {
        const x = x0 + d;
        expect(Math.abs(fastExp(x) / Math.exp(x) - 1), `x = ${x}`).toBeLessThanOrEqual(2 * Number.EPSILON);
      }
    }
  });
});
