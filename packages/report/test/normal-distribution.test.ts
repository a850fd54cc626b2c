import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalUpperTail, twoSidedPValue } from '../src/index.js';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('standard normal', () => {
  it('matches R pnorm in the body and the tails', () => {
    // R: pnorm(1.96, lower.tail = FALSE), pnorm(3, lower = FALSE), pnorm(0.5), pnorm(-2.5)
    expect(rel(normalUpperTail(1.96), 0.0249978951482204)).toBeLessThan(1e-13);
    expect(rel(normalUpperTail(3), 0.00134989803163010)).toBeLessThan(1e-13);
    expect(rel(normalCdf(0.5), 0.691462461274013)).toBeLessThan(1e-14);
    expect(rel(normalCdf(-2.5), 0.00620966532577613)).toBeLessThan(1e-13);
    expect(normalUpperTail(0)).toBe(0.5);
  });

  it('reproduces lme4 p-values far in the tail (gamma fixture)', () => {
    expect(rel(twoSidedPValue(16.3487881196094), 4.43717083560541e-60)).toBeLessThan(1e-11);
    expect(rel(twoSidedPValue(12.2656749923298), 1.38453689831812e-34)).toBeLessThan(1e-11);
    expect(rel(twoSidedPValue(-13.9784500231638), 2.11034080664643e-44)).toBeLessThan(1e-11);
  });

  it('inverts the CDF', () => {
    expect(rel(normalQuantile(0.975), 1.95996398454005)).toBeLessThan(1e-14);
    expect(rel(normalQuantile(0.995), 2.5758293035489)).toBeLessThan(1e-13);
    expect(rel(normalQuantile(0.05), -1.64485362695147)).toBeLessThan(1e-14);
    expect(rel(normalQuantile(1e-20), -9.26234008979840)).toBeLessThan(1e-13);
    expect(normalQuantile(0.5)).toBe(0);
    for (const p of [1e-10, 0.001, 0.2, 0.7, 0.999]) expect(rel(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-13);
  });
});
