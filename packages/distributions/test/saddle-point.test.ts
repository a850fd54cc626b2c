import { describe, expect, it } from 'vitest';
import { bd0, lgamma, stirlerr } from '@glmm/distributions';

// Expected values: the defining formulas evaluated with 40-digit arithmetic (Python mpmath),
// lgamma(x), stirlerr(n) = lgamma(n + 1) - (n + 1/2) log n + n - log sqrt(2 pi), bd0(x, np) = x log(x/np) + np - x.
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe('lgamma', () => {
  it('matches log Gamma below and above the shift point', () => {
    const cases: [number, number][] = [
      [0.5, 0.57236494292470008707], // log sqrt(pi)
      [3.7, 1.4280723266653879219],
      [10, 12.801827480081469611], // log 9!
      [15.5, 26.536914491115613624],
      [100, 359.13420536957539878],
      [1e6, 12815504.56914761166],
    ];
    for (const [x, expected] of cases) expect(rel(lgamma(x), expected), `lgamma(${x})`).toBeLessThan(1e-14);
    // log Gamma(1) = log Gamma(2) = 0: the shift past 15 leaves a rounding error of order 1e-15 absolute.
    expect(Math.abs(lgamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(lgamma(2))).toBeLessThan(1e-14);
  });

  it('is +Inf at 0 and NaN for negative or NaN input', () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-1.5)).toBeNaN();
    expect(lgamma(NaN)).toBeNaN();
  });
});

describe('stirlerr', () => {
  it('matches the defining formula on half-integers, between them and in the series range', () => {
    const cases: [number, number][] = [
      [0.5, 0.15342640972002734529],
      [1, 0.08106146679532725822],
      [16, 0.0052076559196096404407],
      [40, 0.0020832899383024217487],
      [100, 0.00083333055563491468338],
      [1000, 0.000083333330555556349206],
    ];
    for (const [n, expected] of cases) expect(rel(stirlerr(n), expected), `stirlerr(${n})`).toBeLessThan(1e-13);
    expect(stirlerr(0)).toBe(0);
    // Below 15 off the half-integers it is lgamma(n + 1) minus terms of order 10, as in R: accurate in absolute terms.
    expect(Math.abs(stirlerr(7.3) - 0.011408422368027264493)).toBeLessThan(1e-14);
  });
});

describe('bd0', () => {
  it('matches x log(x/np) + np - x, including where the closed form cancels', () => {
    const cases: [number, number, number][] = [
      [3, 2, 0.21639532432449314593],
      [100, 101, 0.0049669146831917151785],
      [1000, 1000.5, 0.00012495834895208593638],
      [5, 50, 33.48707453502977158],
    ];
    for (const [x, np, expected] of cases) expect(rel(bd0(x, np), expected), `bd0(${x}, ${np})`).toBeLessThan(1e-13);
    expect(bd0(10, 10)).toBe(0);
  });
});
