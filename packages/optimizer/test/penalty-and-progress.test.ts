import { describe, expect, it } from 'vitest';
import { approximateNewton, bobyqaOptimizer, nelderMeadOptimizer, quasiNewtonOptimizer } from '@glmm/optimizer';

/*
 * Estimators return +Infinity where a model cannot be evaluated (a failed
 * Cholesky factor, means outside the mean space), MixedModels.jl's penalty:
 * every optimiser must treat it as outside the domain.  And each reports its
 * iterations through OptimizerOptions.onIteration, for progress.
 */
const target = 1;
/** Minimum of the quadratic at (1, 1) lies in the region the penalty removes: the best finite point is on its edge. */
const penalised = (x: Float64Array): number =>
  x[0]! + x[1]! > 1.9 ? Infinity : (x[0]! - target) ** 2 + (x[1]! - target) ** 2;

describe('an objective that is +Infinity on part of the domain', () => {
  for (const optimizer of [bobyqaOptimizer, nelderMeadOptimizer, quasiNewtonOptimizer]) {
    it(`${optimizer.name} stays finite, ends next to the edge, and reports its iterations`, () => {
      const seen: [number, number, number][] = [];
      const r = optimizer.minimize(penalised, Float64Array.of(0, 0), {
        maxEvaluations: 5000,
        onIteration: (iteration, fval, evaluations) => seen.push([iteration, fval, evaluations]),
      });
      expect(Number.isFinite(r.fval)).toBe(true);
      // The constrained minimum is 0.005 at (0.95, 0.95); a model-based search cannot resolve the cliff exactly.
      expect(r.fval).toBeLessThan(0.01);
      expect(r.x[0]! + r.x[1]!).toBeLessThanOrEqual(1.9);
      expect(seen.length).toBeGreaterThan(0);
      seen.forEach(([iteration, fval, evaluations], i) => {
        expect(iteration).toBe(i + 1);
        expect(Number.isFinite(fval)).toBe(true);
        if (i > 0) {
          expect(fval).toBeLessThanOrEqual(seen[i - 1]![1]);
          expect(evaluations).toBeGreaterThanOrEqual(seen[i - 1]![2]);
        }
      });
    });
  }

  it("Newton's method backtracks out of the infinite region and reports its iterations", () => {
    const seen: number[] = [];
    const r = approximateNewton(
      (x, g, H) => {
        const v = penalised(x);
        g[0] = 2 * (x[0]! - target);
        g[1] = 2 * (x[1]! - target);
        H.set([2, 0, 0, 2]);
        return v;
      },
      Float64Array.of(0, 0),
      { lower: Float64Array.of(-Infinity, -Infinity), maxIterations: 50, ftolRel: 1e-12, onIteration: (i) => seen.push(i) },
    );
    expect(Number.isFinite(r.fval)).toBe(true);
    expect(r.x[0]! + r.x[1]!).toBeLessThanOrEqual(1.9);
    expect(seen).toEqual(seen.map((_, i) => i + 1));
  });
});
