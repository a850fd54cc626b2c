import { describe, expect, it } from 'vitest';
import { digamma, trigamma } from '@glmm/distributions';
import { loadFamilyValues } from '@glmm/datasets';

// R's digamma and trigamma (packages/datasets/r/make-family-values.R), around the shift point 20 and far from
// it; R's own values are up to 3.5e-15 (relative) from the 40-digit ones, hence the tolerance.
const values = loadFamilyValues();

describe('digamma and trigamma', () => {
  it("match R's from 1e-8 to 1e8", () => {
    for (const r of values.polygamma) {
      expect(Math.abs(digamma(r.x) - r.digamma) / Math.max(1, Math.abs(r.digamma)), `digamma(${r.x})`).toBeLessThan(6e-15);
      expect(Math.abs(trigamma(r.x) - r.trigamma) / Math.abs(r.trigamma), `trigamma(${r.x})`).toBeLessThan(6e-15);
    }
  });

  it('have the limits at 0 and infinity and refuse negative arguments', () => {
    expect(digamma(0)).toBe(-Infinity);
    expect(trigamma(0)).toBe(Infinity);
    expect(digamma(Infinity)).toBe(Infinity);
    expect(trigamma(Infinity)).toBe(0);
    expect(digamma(-1)).toBeNaN();
    expect(trigamma(NaN)).toBeNaN();
  });
});
