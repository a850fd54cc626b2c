import { describe, expect, it } from 'vitest';
import { fitGlmm } from '@glmm/glmm';

/** Two data sets of the same shape (same n and p), so successive fits share the design's memory. */
function data(seed: number) {
  let a = seed;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2147483648;
    return a / 2147483648;
  };
  const n = 240;
  const g = Array.from({ length: n }, (_, i) => `G${i % 12}`);
  const x = Array.from({ length: n }, () => next() * 4 - 2);
  const u = Array.from({ length: 12 }, () => next() - 0.5);
  const y = x.map((v, i) => 1 + 0.5 * v + (u[i % 12] as number) + (next() - 0.5));
  return { y, x, g };
}

describe('successive fits', () => {
  it('leave earlier results intact, diagnostics included', () => {
    const formula = 'y ~ x + (1 | g)';
    const a = fitGlmm({ formula, data: data(1) });
    const b = fitGlmm({ formula, data: data(2) });
    // Taken again on their own, after the other fit has used the same memory.
    const aAgain = fitGlmm({ formula, data: data(1) });
    expect(a.fixedEffects).toEqual(aAgain.fixedEffects);
    expect(a.fit).toEqual(aAgain.fit);
    expect(a.diagnostics).toEqual(aAgain.diagnostics);
    expect(b.fixedEffects[1]!.estimate).not.toBe(a.fixedEffects[1]!.estimate);
    const bAgain = fitGlmm({ formula, data: data(2) });
    expect(b.diagnostics).toEqual(bAgain.diagnostics);
    expect(b.randomEffects).toEqual(bAgain.randomEffects);
  });
});
