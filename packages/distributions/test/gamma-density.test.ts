import { describe, expect, it } from 'vitest';
import { dgammaLog } from '@glmm/distributions';

describe('dgammaLog', () => {
  it("matches R's dgamma", () => {
    // R: dgamma(c(0.5, 2, 10.2, 3), c(0.3, 1, 2000.5, 4.5), scale = c(2, 0.5, 0.005, 1.5), log = TRUE)
    const cases: [number, number, number, number][] = [
      [0.5, 0.3, 2, -1.0685391225940974],
      [2, 1, 0.5, -3.3068528194400546],
      [10.2, 2000.5, 0.005, 0.17430171561668661],
      [3, 4.5, 1.5, -2.4331865469907976],
    ];
    for (const [x, shape, scale, expected] of cases) {
      expect(Math.abs(dgammaLog(x, shape, scale) - expected), `dgamma(${x}, ${shape}, scale ${scale})`).toBeLessThan(1e-13);
    }
  });

  it('follows R at x = 0 and for invalid arguments', () => {
    // Shape 1 is the exponential: density 1/scale at 0.
    expect(dgammaLog(0, 1, 4)).toBe(-Math.log(4));
    expect(dgammaLog(0, 0.5, 1)).toBe(Infinity);
    expect(dgammaLog(0, 2, 1)).toBe(-Infinity);
    expect(dgammaLog(-1, 2, 1)).toBe(-Infinity);
    expect(dgammaLog(1, -2, 1)).toBeNaN();
    expect(dgammaLog(1, 2, 0)).toBeNaN();
  });
});
