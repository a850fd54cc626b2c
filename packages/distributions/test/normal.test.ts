import { describe, expect, it } from 'vitest';
import { dnorm, normalUpperTail, pnorm, qnorm, twoSidedPValue } from '@glmm/distributions';

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('normal distribution functions (values from R 4.2.2)', () => {
  it('pnorm keeps relative accuracy in both tails', () => {
    const cases: [number, number][] = [
      [-37.5, 4.6053530095819552e-308],
      [-20, 2.7536241186062337e-89],
      [-8.125890664701906, 2.2204460492503284e-16],
      [-3, 0.0013498980316300946],
      [-0.5, 0.30853753872598694],
      [0.1, 0.53982783727702899],
      [1.96, 0.97500210485177963],
    ];
    for (const [x, p] of cases) {
      expect(rel(pnorm(x), p), `pnorm(${x})`).toBeLessThan(1e-14);
      expect(rel(pnorm(-x, false), p), `pnorm(${-x}, upper)`).toBeLessThan(1e-14);
    }
  });

  it('matches R pnorm in the body and the tails', () => {
    // R: pnorm(1.96, lower.tail = FALSE), pnorm(3, lower = FALSE), pnorm(0.5), pnorm(-2.5)
    expect(rel(normalUpperTail(1.96), 0.0249978951482204)).toBeLessThan(1e-13);
    expect(rel(normalUpperTail(3), 0.0013498980316301)).toBeLessThan(1e-13);
    expect(rel(pnorm(0.5), 0.691462461274013)).toBeLessThan(1e-14);
    expect(rel(pnorm(-2.5), 0.00620966532577613)).toBeLessThan(1e-13);
    expect(normalUpperTail(0)).toBe(0.5);
    expect(pnorm(0)).toBe(0.5);
    expect(pnorm(NaN)).toBeNaN();
  });

  it('reproduces lme4 p-values far in the tail (gamma fixture)', () => {
    expect(rel(twoSidedPValue(16.3487881196094), 4.43717083560541e-60)).toBeLessThan(1e-11);
    expect(rel(twoSidedPValue(12.2656749923298), 1.38453689831812e-34)).toBeLessThan(1e-11);
    expect(rel(twoSidedPValue(-13.9784500231638), 2.11034080664643e-44)).toBeLessThan(1e-11);
    // R: 2 * pnorm(-2) = 0.0455002638963584
    expect(rel(twoSidedPValue(2), 0.0455002638963584)).toBeLessThan(1e-13);
  });

  it('qnorm inverts pnorm to full precision', () => {
    expect(qnorm(2.220446049250313e-16)).toBeCloseTo(-8.125890664701906, 13);
    expect(qnorm(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(qnorm(1e-300)).toBeCloseTo(-37.047096299361201, 12);
    expect(rel(qnorm(0.975), 1.95996398454005)).toBeLessThan(1e-14);
    expect(rel(qnorm(0.995), 2.5758293035489)).toBeLessThan(1e-13);
    expect(rel(qnorm(0.05), -1.64485362695147)).toBeLessThan(1e-14);
    expect(rel(qnorm(1e-20), -9.2623400897984)).toBeLessThan(1e-13);
    expect(qnorm(0.5)).toBe(0);
    expect(qnorm(0)).toBe(-Infinity);
    expect(qnorm(1)).toBe(Infinity);
    expect(qnorm(1.5)).toBeNaN();
    for (const p of [1e-10, 0.001, 0.2, 0.7, 0.999]) expect(rel(pnorm(qnorm(p)), p), `pnorm(qnorm(${p}))`).toBeLessThan(1e-13);
  });

  it('dnorm', () => {
    expect(dnorm(0)).toBeCloseTo(0.3989422804014327, 16);
    expect(rel(dnorm(8.5), 8.1662356316695500394e-17)).toBeLessThan(1e-14);
    expect(rel(dnorm(-9), 1.0279773571668914795e-18)).toBeLessThan(1e-14);
  });
});
