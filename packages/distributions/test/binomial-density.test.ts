import { describe, expect, it } from 'vitest';
import { dbinomLog, dbinomRawLog } from '@glmm/distributions';

describe('dbinomLog', () => {
  it("matches R's dbinom", () => {
    // R: dbinom(c(3, 0, 10, 4012), c(10, 10, 10, 10000), c(0.3, 0.01, 0.99, 0.4), log = TRUE)
    const cases: [number, number, number, number][] = [
      [3, 10, 0.3, -1.3211512777668888],
      [0, 10, 0.01, -0.10050335853501441],
      [10, 10, 0.99, -0.10050335853501449],
      [4012, 10000, 0.4, -4.841063683897584],
    ];
    for (const [x, n, p, expected] of cases) {
      expect(Math.abs(dbinomLog(x, n, p) - expected), `dbinom(${x}, ${n}, ${p})`).toBeLessThan(1e-13);
    }
  });

  it('is -Inf for impossible or non-integer x and NaN for invalid arguments', () => {
    expect(dbinomLog(11, 10, 0.5)).toBe(-Infinity);
    expect(dbinomLog(2.5, 10, 0.5)).toBe(-Infinity);
    expect(dbinomLog(-1, 10, 0.5)).toBe(-Infinity);
    expect(dbinomLog(3, 10, 1.5)).toBeNaN();
    expect(dbinomLog(3, 10.5, 0.5)).toBeNaN();
    expect(dbinomLog(NaN, 10, 0.5)).toBeNaN();
  });

  it('handles the degenerate probabilities exactly', () => {
    // By hand: P(X = 0 | p = 0) = 1, P(X = n | p = 1) = 1, P(X = 2 | n = 4, p = 1/2) = 6/16.
    expect(dbinomRawLog(0, 5, 0, 1)).toBe(0);
    expect(dbinomRawLog(1, 5, 0, 1)).toBe(-Infinity);
    expect(dbinomRawLog(5, 5, 1, 0)).toBe(0);
    expect(Math.abs(dbinomRawLog(2, 4, 0.5, 0.5) - Math.log(6 / 16))).toBeLessThan(1e-15);
  });
});
