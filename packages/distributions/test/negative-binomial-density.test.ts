import { describe, expect, it } from 'vitest';
import { dnbinomLog, dpoisLog } from '@glmm/distributions';
import { jsonNumber, loadDnbinomExact, loadFamilyValues } from '@glmm/datasets';

// R's dnbinom (packages/datasets/r/make-family-values.R) and the definition in
// 60-digit arithmetic (packages/datasets/r/dnbinom-exact.py) on a grid of counts
// 0..1e5, shapes 1e-3..1e15 and means 1e-6..1e6.
const values = loadFamilyValues();
const relError = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(b));

describe('dnbinomLog', () => {
  it('matches the definition to 1e-13 over the whole grid, shapes up to 1e15 included', () => {
    const exact = loadDnbinomExact();
    expect(exact.length).toBeGreaterThan(200);
    for (const r of exact) {
      expect(relError(dnbinomLog(r.x, r.size, r.mu), r.log), `dnbinom(${r.x}, ${r.size}, mu = ${r.mu})`).toBeLessThan(1e-13);
    }
  });

  it("matches R's dnbinom wherever R is accurate, and R's own error elsewhere is R's", () => {
    const exact = new Map(loadDnbinomExact().map((r) => [`${r.x}|${r.size}|${r.mu}`, r.log]));
    let compared = 0;
    for (const r of values.dnbinom) {
      const size = jsonNumber(r.size);
      const expected = jsonNumber(r.log);
      const got = dnbinomLog(r.x, size, r.mu);
      if (!Number.isFinite(expected)) {
        expect(got, `dnbinom(${r.x}, ${size}, mu = ${r.mu})`).toBe(expected);
        continue;
      }
      const truth = exact.get(`${r.x}|${size}|${r.mu}`);
      // R 4.2.2 loses up to 0.5 absolute at shapes >= 1e8 with large means (its x < 1e-10 size branch).
      if (truth !== undefined && relError(expected, truth) > 1e-12) continue;
      compared++;
      expect(relError(got, expected), `dnbinom(${r.x}, ${size}, mu = ${r.mu}): ${got} vs R ${expected}`).toBeLessThan(1e-12);
    }
    expect(compared).toBeGreaterThan(200);
  });

  it('is the Poisson density at an infinite shape and tends to it', () => {
    const { x, mu, log } = values.dpois_limit;
    expect(dnbinomLog(x, Infinity, mu)).toBe(dpoisLog(x, mu));
    expect(Math.abs(dnbinomLog(x, Infinity, mu) - log)).toBeLessThan(1e-14);
    // The shape-dependent part is about -(x - mu)^2 / (2 theta) + ...: 1e-15 at theta = 1e15.
    expect(Math.abs(dnbinomLog(x, 1e15, mu) - log)).toBeLessThan(1e-13);
    expect(Math.abs(dnbinomLog(x, 1e9, mu) - log)).toBeLessThan(1e-8);
  });

  it('follows R for impossible counts and invalid parameters', () => {
    expect(dnbinomLog(-1, 2, 3)).toBe(-Infinity);
    expect(dnbinomLog(2.5, 2, 3)).toBe(-Infinity);
    expect(dnbinomLog(0, 2, 0)).toBe(0);
    expect(dnbinomLog(3, 2, 0)).toBe(-Infinity);
    expect(dnbinomLog(1, 0, 3)).toBeNaN();
    expect(dnbinomLog(1, -2, 3)).toBeNaN();
    expect(dnbinomLog(1, 2, -3)).toBeNaN();
    expect(dnbinomLog(NaN, 2, 3)).toBeNaN();
  });
});
