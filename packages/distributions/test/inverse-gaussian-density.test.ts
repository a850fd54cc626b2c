import { describe, expect, it } from 'vitest';
import { dinvgaussLog } from '@glmm/distributions';
import { loadFamilyValues } from '@glmm/datasets';

// statmod's dinvgauss(x, mean, dispersion, log = TRUE) (packages/datasets/r/make-family-values.R).
const values = loadFamilyValues();

describe('dinvgaussLog', () => {
  it("matches statmod's dinvgauss over means 0.05..400 and dispersions 1e-4..50", () => {
    expect(values.dinvgauss.length).toBe(80);
    for (const r of values.dinvgauss) {
      const got = dinvgaussLog(r.x, r.mean, r.dispersion);
      expect(Math.abs(got - r.log) / Math.max(1, Math.abs(r.log)), `dinvgauss(${r.x}, ${r.mean}, ${r.dispersion})`).toBeLessThan(1e-13);
    }
  });

  it('stays finite for a mean near the largest double and has the Levy limit at an infinite mean', () => {
    const levy = -0.5 * Math.log(2 * Math.PI * 0.5 * 8) - 1 / (2 * 0.5 * 2);
    expect(dinvgaussLog(2, Infinity, 0.5)).toBeCloseTo(levy, 14);
    expect(Number.isFinite(dinvgaussLog(2, 1e300, 0.5))).toBe(true);
    expect(dinvgaussLog(2, 1e300, 0.5)).toBeCloseTo(levy, 12);
  });

  it('is -Infinity outside the support and NaN for invalid parameters', () => {
    expect(dinvgaussLog(0, 1, 1)).toBe(-Infinity);
    expect(dinvgaussLog(-1, 1, 1)).toBe(-Infinity);
    expect(dinvgaussLog(1, 0, 1)).toBeNaN();
    expect(dinvgaussLog(1, 1, 0)).toBeNaN();
    expect(dinvgaussLog(NaN, 1, 1)).toBeNaN();
  });
});
