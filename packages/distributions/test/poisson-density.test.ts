import { describe, expect, it } from 'vitest';
import { dpoisLog, dpoisRawLog } from '@glmm/distributions';

describe('dpoisLog', () => {
  it("matches R's dpois", () => {
    // R: dpois(c(0, 3, 1500, 7), c(2.5, 2, 1480.5, 1e-3), log = TRUE)
    const cases: [number, number, number][] = [
      [0, 2.5, -2.5],
      [3, 2, -1.7123179275482192],
      [1500, 1480.5, -4.7034636052877588],
      [7, 1e-3, -56.88044831394037],
    ];
    for (const [x, lambda, expected] of cases) {
      expect(Math.abs(dpoisLog(x, lambda) - expected), `dpois(${x}, ${lambda})`).toBeLessThan(1e-13 * Math.max(1, -expected));
    }
  });

  it('is -Inf for a negative or non-integer x and NaN for lambda < 0', () => {
    expect(dpoisLog(2.5, 1)).toBe(-Infinity);
    expect(dpoisLog(-1, 1)).toBe(-Infinity);
    expect(dpoisLog(2, -1)).toBeNaN();
  });

  it('takes a non-integer x in the raw form (as dgamma needs) and the lambda = 0 limit', () => {
    // By hand: log(e^-2 2^1.5 / Gamma(2.5)), Gamma(2.5) = 3 sqrt(pi) / 4.
    const expected = -2 + 1.5 * Math.log(2) - Math.log((3 * Math.sqrt(Math.PI)) / 4);
    expect(Math.abs(dpoisRawLog(1.5, 2) - expected)).toBeLessThan(1e-14);
    expect(dpoisRawLog(0, 0)).toBe(0);
    expect(dpoisRawLog(1, 0)).toBe(-Infinity);
  });
});
