import { describe, expect, it } from 'vitest';
import {
  BOBYQA_DEFAULTS,
  DenseLu,
  MinFrobeniusInterpolation,
  QuadraticInterpolation,
  bobyqa,
  boxTrustRegionStep,
  nelderMead,
  quadraticPointCount,
} from '../src/index.js';
import { BOUNDED_QUADRATIC_MIN, boundedQuadratic, logBarrier, LOG_BARRIER_MIN, oneWayDeviance, rosenbrock } from './problems.js';
import { fixtureReference, loadGroups, oneWayRemlCriterion, sleepstudySlopesReml } from './reml-criteria.js';

/** The options the linear mixed-model estimator passes (packages/estimator-reml). */
function lmmOptions(n: number, lower: number[]) {
  return {
    lower: Float64Array.from(lower),
    initialStep: new Float64Array(n).fill(0.25),
    maxEvaluations: 10000,
    ftolRel: 1e-12,
    xtolAbs: 1e-6,
  };
}

/** sum_i w_i (e^u_i - u_i - 1) + sum_i (u_i - u_{i-1})^2 (1 + u_i^2), u = x - c: minimum 0 exactly at c. */
function coupledConvex(c: number[]): (x: Float64Array) => number {
  return (x) => {
    let s = 0;
    for (let i = 0; i < c.length; i++) {
      const u = x[i]! - c[i]!;
      s += (1 + i) * (Math.exp(u) - u - 1);
      if (i > 0) s += (u - (x[i - 1]! - c[i - 1]!)) ** 2 * (1 + u * u);
    }
    return s;
  };
}

describe('bobyqa against Nelder-Mead (evaluation counts)', () => {
  it('solves Rosenbrock 2-D in well under half the evaluations', () => {
    const r = bobyqa(rosenbrock, Float64Array.of(-1.2, 1));
    const nm = nelderMead(rosenbrock, Float64Array.of(-1.2, 1));
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-7);
    expect(Math.abs(r.x[1]! - 1)).toBeLessThan(1e-7);
    expect(r.fval).toBeLessThan(1e-14);
    expect(r.evaluations).toBeLessThan(nm.evaluations / 2);
  });

  it('solves Rosenbrock 4-D in well under half the evaluations', () => {
    const x0 = Float64Array.of(-1.2, 1, -1.2, 1);
    const r = bobyqa(rosenbrock, x0);
    const nm = nelderMead(rosenbrock, x0);
    expect(r.converged).toBe(true);
    for (let j = 0; j < 4; j++) expect(Math.abs(r.x[j]! - 1)).toBeLessThan(1e-6);
    expect(r.fval).toBeLessThan(1e-12);
    expect(r.evaluations).toBeLessThan(nm.evaluations / 2);
  });

  it('finds the 3-parameter sleepstudy REML optimum of lme4 in at most 60 evaluations', () => {
    const f = sleepstudySlopesReml();
    const ref = fixtureReference('sleepstudy_slopes_reml');
    // The dense closed form reproduces lme4's criterion at lme4's theta.
    expect(Math.abs(f(Float64Array.from(ref.theta)) - ref.REML_criterion)).toBeLessThan(1e-9);
    const options = lmmOptions(3, [0, -Infinity, 0]);
    const r = bobyqa(f, Float64Array.of(1, 0, 1), options);
    const nm = nelderMead(f, Float64Array.of(1, 0, 1), options);
    expect(r.converged).toBe(true);
    expect(r.fval - ref.REML_criterion).toBeLessThan(1e-10 * ref.REML_criterion);
    for (let j = 0; j < 3; j++) expect(Math.abs(r.x[j]! - ref.theta[j]!)).toBeLessThan(2e-5);
    expect(r.evaluations).toBeLessThanOrEqual(60);
    expect(r.evaluations).toBeLessThan(nm.evaluations / 3);
  });

  it('finds Dyestuff theta (1 parameter) in at most 20 evaluations', () => {
    const ref = fixtureReference('dyestuff_reml');
    const f = oneWayRemlCriterion(loadGroups('dyestuff_reml'));
    for (const options of [lmmOptions(1, [0]), { lower: Float64Array.of(0) }]) {
      const r = bobyqa(f, Float64Array.of(1), options);
      expect(r.converged).toBe(true);
      expect(Math.abs(r.x[0]! - ref.theta[0]!)).toBeLessThan(1e-5);
      expect(r.fval - ref.REML_criterion).toBeLessThan(1e-10 * ref.REML_criterion);
      expect(r.evaluations).toBeLessThanOrEqual(20);
    }
  });

  it('uses the minimum-Frobenius model beyond the full-quadratic dimension, still far ahead of Nelder-Mead', () => {
    const c = [0.3, -0.2, 0.5, 0.1, -0.4, 0.25, 0.05, -0.15];
    expect(c.length).toBeGreaterThan(BOBYQA_DEFAULTS.maxFullQuadraticDimension);
    const f = coupledConvex(c);
    const x0 = new Float64Array(c.length);
    const options = { initialStep: new Float64Array(c.length).fill(0.25), xtolAbs: 1e-7 };
    const r = bobyqa(f, x0, options);
    const nm = nelderMead(f, x0, options);
    expect(r.converged).toBe(true);
    expect(r.fval).toBeLessThan(1e-12);
    for (let j = 0; j < c.length; j++) expect(Math.abs(r.x[j]! - c[j]!)).toBeLessThan(1e-5);
    expect(r.evaluations).toBeLessThan(nm.evaluations / 4);
  });
});

describe('bobyqa on bounds', () => {
  it('lands exactly on the bound of a quadratic whose minimum lies there, in few evaluations', () => {
    const r = bobyqa(boundedQuadratic, Float64Array.of(1, 1), { lower: Float64Array.of(0, -Infinity) });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(Math.abs(r.x[1]! - BOUNDED_QUADRATIC_MIN.x[1]!)).toBeLessThan(1e-8);
    expect(r.fval - BOUNDED_QUADRATIC_MIN.f).toBeLessThan(1e-15);
    // Six points determine the quadratic; the rest is the radius schedule.
    expect(r.evaluations).toBeLessThanOrEqual(20);
  });

  it('hits a bound exactly when the scaled coordinates are not the original ones', () => {
    // Unequal initial steps make the internal scale 1/8 on x1; the bound 0.3 is still met exactly.
    const f = (x: Float64Array): number => (x[0]! - 2) ** 2 + 10 * (x[1]! - 0.1) ** 2 + x[0]! * x[1]!;
    const r = bobyqa(f, Float64Array.of(0, 1), {
      lower: Float64Array.of(-5, 0.3),
      upper: Float64Array.of(5, 3),
      initialStep: Float64Array.of(0.8, 0.1),
    });
    expect(r.converged).toBe(true);
    expect(r.x[1]).toBe(0.3);
    // On x1 = 0.3: d/dx0 = 2 (x0 - 2) + 0.3 = 0.
    expect(Math.abs(r.x[0]! - 1.85)).toBeLessThan(1e-7);
  });

  it('puts a one-way variance parameter exactly at 0 in at most 20 evaluations', () => {
    const f = oneWayDeviance(6, 5, 5, 40);
    const r = bobyqa(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(r.fval).toBe(f(Float64Array.of(0)));
    expect(r.evaluations).toBeLessThanOrEqual(20);
  });

  it('holds a coordinate with equal bounds fixed and never evaluates it elsewhere', () => {
    const f = (x: Float64Array): number => {
      expect(x[1]).toBe(0.5);
      return (x[0]! - 1) ** 2 + (x[1]! - 2) ** 2 + (x[2]! + 1) ** 2;
    };
    const r = bobyqa(f, Float64Array.of(0, 0.5, 0), {
      lower: Float64Array.of(-10, 0.5, -10),
      upper: Float64Array.of(10, 0.5, 10),
    });
    expect(r.converged).toBe(true);
    expect(r.x[1]).toBe(0.5);
    expect(Math.abs(r.x[0]! - 1)).toBeLessThan(1e-8);
    expect(Math.abs(r.x[2]! + 1)).toBeLessThan(1e-8);
  });

  it('works in a box narrower than the initial step', () => {
    const r = bobyqa((x) => (x[0]! - 0.3) ** 2 + (x[1]! - 5) ** 2, Float64Array.of(0.05, 0), {
      lower: Float64Array.of(0, -1),
      upper: Float64Array.of(0.1, 1),
      initialStep: Float64Array.of(1, 1),
    });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0.1);
    expect(r.x[1]).toBe(1);
  });
});

describe('bobyqa on awkward objectives', () => {
  it('treats Infinity as a failed step when the minimum sits next to an infinite region', () => {
    let infinite = 0;
    const f = (x: Float64Array): number => {
      if (x[0]! > 1.2) {
        infinite++;
        return Infinity;
      }
      return (x[0]! - 1) ** 2 + 3 * (x[1]! + 0.5) ** 2 + 0.5 * x[0]! * x[1]!;
    };
    // Stationary point: 2 (x0 - 1) + 0.5 x1 = 0, 6 (x1 + 0.5) + 0.5 x0 = 0, 0.05 short of the infinite region.
    const x1 = -3.5 / 5.875;
    const x0 = 1 - 0.25 * x1;
    expect(x0).toBeLessThan(1.2);
    expect(x0).toBeGreaterThan(1.14);
    const r = bobyqa(f, Float64Array.of(-1, 1), { initialStep: Float64Array.of(1, 1) });
    expect(infinite).toBeGreaterThan(0);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - x0)).toBeLessThan(1e-7);
    expect(Math.abs(r.x[1]! - x1)).toBeLessThan(1e-7);
  });

  it('treats NaN (log of a negative number) like Infinity', () => {
    const r = bobyqa(logBarrier, Float64Array.of(3, 0), { initialStep: Float64Array.of(2, 1) });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - LOG_BARRIER_MIN.x[0]!)).toBeLessThan(1e-7);
    expect(Math.abs(r.x[1]! - LOG_BARRIER_MIN.x[1]!)).toBeLessThan(1e-7);
  });

  it('never exceeds maxEvaluations and says why it stopped', () => {
    for (const budget of [1, 4, 10, 17, 40]) {
      let calls = 0;
      const r = bobyqa(
        (x) => {
          calls++;
          return rosenbrock(x);
        },
        Float64Array.of(-1.2, 1),
        { maxEvaluations: budget },
      );
      expect(calls).toBe(r.evaluations);
      expect(r.evaluations).toBeLessThanOrEqual(budget);
      expect(r.converged).toBe(false);
      expect(r.message).toMatch(/maxEvaluations/);
      expect(r.fval).toBe(rosenbrock(r.x));
    }
  });

  it('starts from x0 and the initial step on each axis', () => {
    const seen: number[][] = [];
    bobyqa(
      (x) => {
        seen.push([...x]);
        return (x[0]! - 1) ** 2 + (x[1]! - 3) ** 2;
      },
      Float64Array.of(0, 0),
      { initialStep: Float64Array.of(0.5, 0.5), lower: Float64Array.of(0, -10) },
    );
    // x0 on the lower bound of x0: both axis points go up (+h, +2h); x1 is free: +-h.
    expect(seen.slice(0, 5)).toEqual([
      [0, 0],
      [0.5, 0],
      [1, 0],
      [0, 0.5],
      [0, -0.5],
    ]);
  });
});

describe('interpolation models', () => {
  const quad = (x: ArrayLike<number>): number =>
    3 + x[0]! - 2 * x[1]! + 0.5 * x[2]! + 2 * x[0]! ** 2 + x[1]! ** 2 + 3 * x[2]! ** 2 + 0.4 * x[0]! * x[1]! - 0.6 * x[1]! * x[2]!;
  // Gradient at c = (0.1, 0.2, -0.3) and the Hessian of quad.
  const c = [0.1, 0.2, -0.3];
  const grad = [1 + 4 * c[0]! + 0.4 * c[1]!, -2 + 2 * c[1]! + 0.4 * c[0]! - 0.6 * c[2]!, 0.5 + 6 * c[2]! - 0.6 * c[1]!];
  const hess = [4, 0.4, 0, 0.4, 2, -0.6, 0, -0.6, 6];

  it('a full quadratic on (n+1)(n+2)/2 points reproduces a quadratic and its Lagrange functions are cardinal', () => {
    const model = new QuadraticInterpolation(3);
    expect(model.m).toBe(quadraticPointCount(3));
    // A poised set: the centre, +-0.5 on each axis, and one point per pair.
    const pts: number[][] = [c.slice()];
    for (let j = 0; j < 3; j++) {
      for (const h of [0.5, -0.5]) {
        const p = c.slice();
        p[j]! += h;
        pts.push(p);
      }
    }
    for (let i = 0; i < 3; i++) {
      for (let j = i + 1; j < 3; j++) {
        const p = c.slice();
        p[i]! += 0.5;
        p[j]! -= 0.25;
        pts.push(p);
      }
    }
    pts.forEach((p, k) => model.set(k, p, quad(p)));
    model.chooseBest();
    expect(model.refit()).toBe(true);
    const centre = model.point(model.best);
    const g = model.model.gradient;
    const H = model.model.hessian;
    const gAt = grad.map((gi, i) => gi + hess.slice(i * 3, i * 3 + 3).reduce((s, h, j) => s + h * (centre[j]! - c[j]!), 0));
    for (let i = 0; i < 3; i++) expect(g[i]).toBeCloseTo(gAt[i]!, 10);
    for (let k = 0; k < 9; k++) expect(H[k]).toBeCloseTo(hess[k]!, 10);
    const x = [0.3, -0.1, 0.2];
    expect(model.bestValue + model.predictedChange(x.map((v, j) => v - centre[j]!))).toBeCloseTo(quad(x), 10);
    for (let k = 0; k < model.m; k++) {
      const w = model.replacementWeights(model.point(k));
      for (let t = 0; t < model.m; t++) expect(w[t]).toBeCloseTo(t === k ? 1 : 0, 10);
    }
  });

  it('the minimum-Frobenius model on 2n+1 axis points gets a separable quadratic exactly', () => {
    const sep = (x: ArrayLike<number>): number => 1 + x[0]! - x[1]! + 2 * x[0]! ** 2 + 0.5 * x[1]! ** 2 + 3 * x[2]! ** 2;
    const model = new MinFrobeniusInterpolation(3);
    expect(model.m).toBe(7);
    const pts: number[][] = [[0, 0, 0]];
    for (let j = 0; j < 3; j++) {
      for (const h of [0.25, -0.25]) {
        const p = [0, 0, 0];
        p[j] = h;
        pts.push(p);
      }
    }
    pts.forEach((p, k) => model.set(k, p, sep(p)));
    model.chooseBest();
    expect(model.refit()).toBe(true);
    // The best point is (0, 0.25, 0), where the gradient is (1 + 4 c0, -1 + c1, 6 c2).
    const centre = model.point(model.best);
    expect([...centre]).toEqual([0, 0.25, 0]);
    expect(model.model.gradient[0]).toBeCloseTo(1, 12);
    expect(model.model.gradient[1]).toBeCloseTo(-0.75, 12);
    expect(model.model.gradient[2]).toBeCloseTo(0, 12);
    const expected = [4, 0, 0, 0, 1, 0, 0, 0, 6];
    for (let k = 0; k < 9; k++) expect(model.model.hessian[k]).toBeCloseTo(expected[k]!, 10);
    // Replacing a point by itself leaves the system unchanged: sigma = 1 there.
    expect(model.replacementWeights(model.point(3))[3]).toBeCloseTo(1, 10);
  });

  it('dense LU solves both A x = b and A\' y = b', () => {
    const A = Float64Array.of(0, 2, 1, 1, 1, 0, 3, 0, 1);
    const lu = new DenseLu(3);
    expect(lu.factorize(A)).toBe(true);
    const x = lu.solve(Float64Array.of(5, 2, 6));
    // x = (1, 1, 3): 0 + 2 + 3 = 5, 1 + 1 = 2, 3 + 3 = 6.
    [1, 1, 3].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 14));
    const y = lu.solveTransposed(Float64Array.of(4, 3, 2));
    // A' y = b with y = (1, 1, 1): columns sums are (4, 3, 2).
    [1, 1, 1].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 14));
    expect(lu.factorize(Float64Array.of(1, 2, 2, 4, 0, 0, 0, 0, 0).subarray(0, 9))).toBe(false);
  });
});

describe('box trust-region subproblem', () => {
  const unbounded = (n: number) => ({
    down: new Float64Array(n).fill(-Infinity),
    up: new Float64Array(n).fill(Infinity),
  });

  it('returns the Newton step when it lies inside the ball and the box', () => {
    const q = { gradient: Float64Array.of(1, -2), hessian: Float64Array.of(2, 0.5, 0.5, 1) };
    const { down, up } = unbounded(2);
    const r = boxTrustRegionStep(q, 10, down, up);
    // H s = -g: s = (-8/7, 16/7)... solved: det = 1.75; s = -(1/1.75) [1 -0.5; -0.5 2] g.
    const s0 = -(1 * 1 - 0.5 * -2) / 1.75;
    const s1 = -(-0.5 * 1 + 2 * -2) / 1.75;
    expect(r.step[0]).toBeCloseTo(s0, 12);
    expect(r.step[1]).toBeCloseTo(s1, 12);
    expect(r.curvature).toBeGreaterThan(0);
    expect(r.predicted).toBeCloseTo(0.5 * (1 * s0 + -2 * s1), 12);
  });

  it('pins coordinates at the bounds exactly and fixes those pushed outward', () => {
    const q = { gradient: Float64Array.of(1, -1, 0.5), hessian: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) };
    // Coordinate 0 starts on its lower bound with an outward gradient; coordinate 1 meets its upper bound at 0.3.
    const r = boxTrustRegionStep(q, 5, Float64Array.of(0, -5, -5), Float64Array.of(5, 0.3, 5));
    expect(r.bound[0]).toBe(-1);
    expect(r.step[0]).toBe(0);
    expect(r.bound[1]).toBe(1);
    expect(r.step[1]).toBe(0.3);
    expect(r.step[2]).toBeCloseTo(-0.5, 12);
  });

  it('follows negative curvature to the sphere and improves on the boundary', () => {
    const q = { gradient: Float64Array.of(0.1, 0.05), hessian: Float64Array.of(1, 0, 0, -2) };
    const { down, up } = unbounded(2);
    const r = boxTrustRegionStep(q, 1, down, up);
    expect(Math.hypot(r.step[0]!, r.step[1]!)).toBeCloseTo(1, 10);
    expect(r.curvature).toBe(0);
    // q = 0.1 s0 + 0.05 s1 + s0^2 / 2 - s1^2 is least on the unit sphere near s = (-0.03, -1), q ~ -1.05;
    // the CG step alone stops at the sphere along the gradient with q ~ -0.1.
    expect(r.step[1]!).toBeLessThan(-0.99);
    expect(r.predicted).toBeLessThan(-1.04);
  });
});
