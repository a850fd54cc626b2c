import { createContainer, resolvePlugin, listPlugins, type OptimizerOptions, type OptimizerResult } from '@glmm/core';
import { describe, expect, it } from 'vitest';
import { bobyqa, nelderMead, optimizerBundle, quasiNewton } from '../src/index.js';
import {
  BOUNDED_QUADRATIC_MIN,
  DEVIANCE_CENTRE,
  DEVIANCE_MIN,
  LOG_BARRIER_MIN,
  boundedQuadratic,
  devianceLike,
  logBarrier,
  oneWayDeviance,
  oneWayThetaStar,
  rosenbrock,
} from './problems.js';

type Minimize = (f: (x: Float64Array) => number, x0: Float64Array, o?: OptimizerOptions) => OptimizerResult;

const methods: [string, Minimize, number][] = [
  // name, function, tolerance on x for smooth problems
  ['nelder-mead', nelderMead, 1e-6],
  ['quasi-newton', quasiNewton, 1e-6],
  ['bobyqa', bobyqa, 1e-6],
];

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let j = 0; j < expected.length; j++) expect(Math.abs(actual[j]! - expected[j]!)).toBeLessThanOrEqual(tol);
}

describe.each(methods)('%s', (_name, minimize, xtol) => {
  it('finds the Rosenbrock minimum in 2-D', () => {
    const r = minimize(rosenbrock, Float64Array.of(-1.2, 1));
    expect(r.converged).toBe(true);
    expectClose(r.x, [1, 1], xtol);
    expect(r.fval).toBeLessThan(1e-12);
  });

  it('finds the Rosenbrock minimum in 4-D', () => {
    const r = minimize(rosenbrock, Float64Array.of(-1.2, 1, -1.2, 1));
    expect(r.converged).toBe(true);
    expectClose(r.x, [1, 1, 1, 1], 10 * xtol);
    expect(r.fval).toBeLessThan(1e-10);
  });

  it('stops on a bound exactly when the minimum lies there', () => {
    const lower = Float64Array.of(0, -Infinity);
    const r = minimize(boundedQuadratic, Float64Array.of(1, 1), { lower });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(Math.abs(r.x[1]! - BOUNDED_QUADRATIC_MIN.x[1]!)).toBeLessThan(1e-6);
    expect(r.fval - BOUNDED_QUADRATIC_MIN.f).toBeLessThan(1e-12);
  });

  it('handles an upper bound and a start outside the box', () => {
    const f = (x: Float64Array): number => (x[0]! - 3) ** 2 + (x[1]! + 1) ** 2;
    const r = minimize(f, Float64Array.of(5, 0), { lower: Float64Array.of(-10, -10), upper: Float64Array.of(1, 10) });
    expect(r.x[0]).toBe(1);
    expect(Math.abs(r.x[1]! + 1)).toBeLessThan(1e-6);
    expect(r.fval).toBeCloseTo(4, 10);
  });

  it('treats NaN and Infinity as outside the domain', () => {
    const r = minimize(logBarrier, Float64Array.of(3, 0));
    expect(r.converged).toBe(true);
    expectClose(r.x, LOG_BARRIER_MIN.x, 1e-6);
    expect(r.fval - LOG_BARRIER_MIN.f).toBeLessThan(1e-11);
  });

  it('converges tightly on a badly scaled deviance-like objective', () => {
    const r = minimize(devianceLike, Float64Array.of(0, 0, 0));
    expect(r.converged).toBe(true);
    expect((r.fval - DEVIANCE_MIN) / DEVIANCE_MIN).toBeLessThan(1e-10);
    expectClose(r.x, DEVIANCE_CENTRE, 1e-4);
  });

  it('finds an interior variance parameter of a one-way model', () => {
    const f = oneWayDeviance(6, 5, 30, 40);
    const r = minimize(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(oneWayThetaStar(6, 5, 30, 40)).toBeCloseTo(Math.sqrt(0.4), 14);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - Math.sqrt(0.4))).toBeLessThan(1e-6);
  });

  it('puts a variance parameter exactly at 0 when the data say so', () => {
    const f = oneWayDeviance(6, 5, 5, 40);
    expect(oneWayThetaStar(6, 5, 5, 40)).toBe(0);
    const r = minimize(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(r.fval).toBe(f(Float64Array.of(0)));
  });

  it('counts every evaluation and evaluates only inside the box', () => {
    let calls = 0;
    const lower = Float64Array.of(0, -0.5);
    const upper = Float64Array.of(2, 0.5);
    const f = (x: Float64Array): number => {
      calls++;
      expect(x[0]).toBeGreaterThanOrEqual(0);
      expect(x[0]).toBeLessThanOrEqual(2);
      expect(x[1]).toBeGreaterThanOrEqual(-0.5);
      expect(x[1]).toBeLessThanOrEqual(0.5);
      return rosenbrock(x);
    };
    const r = minimize(f, Float64Array.of(0.1, 0.2), { lower, upper });
    expect(r.evaluations).toBe(calls);
    // Constrained minimum: x1 = 0.5 is active and x0 minimises 100 (0.5 - x0^2)^2 + (1 - x0)^2.
    expect(r.x[1]).toBe(0.5);
    const g0 = -400 * r.x[0]! * (0.5 - r.x[0]! ** 2) - 2 * (1 - r.x[0]!);
    expect(Math.abs(g0)).toBeLessThan(1e-4);
  });

  it('reports non-convergence when the evaluation budget runs out', () => {
    const r = minimize(rosenbrock, Float64Array.of(-1.2, 1), { maxEvaluations: 25 });
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/maxEvaluations/);
    // The budget is checked between iterations, so one iteration may overrun it.
    expect(r.evaluations).toBeGreaterThanOrEqual(25);
    expect(r.evaluations).toBeLessThanOrEqual(25 + 2 * 2 + 2);
    expect(r.fval).toBeLessThan(rosenbrock(Float64Array.of(-1.2, 1)));
  });

  it('refuses a start where the objective is not finite', () => {
    const r = minimize(logBarrier, Float64Array.of(-1, 0));
    expect(r.converged).toBe(false);
    expect(r.message).toMatch(/not finite/);
    expect(r.evaluations).toBe(1);
  });

  it('does not modify x0', () => {
    const x0 = Float64Array.of(-1.2, 1);
    minimize(rosenbrock, x0);
    expect([...x0]).toEqual([-1.2, 1]);
  });
});

describe('quasi-newton specifics', () => {
  it('stops at maxIterations with converged = false', () => {
    const r = quasiNewton(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 3 });
    expect(r.converged).toBe(false);
    expect(r.iterations).toBe(3);
    expect(r.message).toMatch(/maxIterations/);
  });

  it('needs far fewer evaluations than Nelder-Mead on a smooth problem', () => {
    const qn = quasiNewton(devianceLike, Float64Array.of(0, 0, 0));
    const nm = nelderMead(devianceLike, Float64Array.of(0, 0, 0));
    expect(qn.evaluations).toBeLessThan(nm.evaluations);
  });

  // Even in x0 with a stationary point at x0 = 0 that is a maximum along x0,
  // as a deviance in a variance parameter can be: the gradient there is 0.
  const evenSaddle = (x: Float64Array) => (x[0]! * x[0]! - 1) ** 2 + (x[1]! - 0.5) ** 2;
  const evenSaddleGradient = (x: Float64Array, out: Float64Array) => {
    out[0] = 4 * x[0]! * (x[0]! * x[0]! - 1);
    out[1] = 2 * (x[1]! - 0.5);
  };
  for (const exact of [true, false])
    it(`leaves a stationary point on a bound that is no minimum (${exact ? 'exact' : 'finite-difference'} gradient)`, () => {
      const r = quasiNewton(evenSaddle, Float64Array.of(0, 2), {
        lower: Float64Array.of(0, -Infinity),
        ...(exact ? { gradient: evenSaddleGradient } : {}),
      });
      expect(r.converged).toBe(true);
      expect(r.x[0]).toBeCloseTo(1, 5);
      expect(r.x[1]).toBeCloseTo(0.5, 5);
      expect(r.fval).toBeLessThan(1e-10);
    });

  it('never probes an infinite bound: no NaN point is evaluated', () => {
    // |x - Infinity| <= 1e-5 * Infinity held, so every free coordinate looked "on its bound"
    // and was probed at Infinity - Infinity = NaN.
    const seen: number[] = [];
    const r = quasiNewton(
      (x) => {
        seen.push(x[0]!, x[1]!);
        return (x[0]! - 1) ** 2 + (x[1]! + 2) ** 2;
      },
      Float64Array.of(0, 0),
      { lower: Float64Array.of(-Infinity, -Infinity), upper: Float64Array.of(Infinity, Infinity) },
    );
    expect(r.converged).toBe(true);
    expect(seen.some((v) => Number.isNaN(v))).toBe(false);
  });

  it('keeps a minimum on a bound (the probe inward finds no decrease)', () => {
    const r = quasiNewton((x) => (x[0]! + 1) ** 2 + x[0]! ** 4, Float64Array.of(2), { lower: Float64Array.of(0) });
    expect(r.x[0]).toBe(0);
    expect(r.fval).toBe(1);
  });
});

describe('nelder-mead specifics', () => {
  it('uses the initial step it is given', () => {
    const seen: number[][] = [];
    nelderMead(
      (x) => {
        seen.push([...x]);
        return (x[0]! - 1) ** 2 + x[1]! ** 2;
      },
      Float64Array.of(0, 0),
      { initialStep: Float64Array.of(0.5, 0.25) },
    );
    expect(seen.slice(0, 3)).toEqual([
      [0, 0],
      [0.5, 0],
      [0, 0.25],
    ]);
  });

  it('restarts after convergence and reports it', () => {
    const r = nelderMead(rosenbrock, Float64Array.of(-1.2, 1));
    expect(r.message).toMatch(/restart/);
  });
});

describe('optimizerBundle', () => {
  it('registers the three optimizers under their names', () => {
    const container = createContainer(optimizerBundle);
    expect([...listPlugins(container, 'optimizer')].sort()).toEqual(['bobyqa', 'nelder-mead', 'quasi-newton']);
    expect(resolvePlugin(container, 'optimizer', 'bobyqa').minimize).toBe(bobyqa);
    const qn = resolvePlugin(container, 'optimizer', 'quasi-newton');
    const r = qn.minimize(rosenbrock, Float64Array.of(-1.2, 1));
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-6);
  });
});

describe('nelder-mead budget', () => {
  it('ignores maxIterations (derivative-free phases are capped by evaluations)', () => {
    const r = nelderMead(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 3 });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeGreaterThan(3);
  });

  it('keeps a first convergence when the restart runs out of budget', () => {
    const full = nelderMead(rosenbrock, Float64Array.of(-1.2, 1));
    const firstRun = full.evaluations - 60;
    const r = nelderMead(rosenbrock, Float64Array.of(-1.2, 1), { maxEvaluations: firstRun });
    expect(r.converged).toBe(true);
    expect(r.message).toMatch(/restart check stopped at maxEvaluations/);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-6);
  });
});
