import type { OptimizerOptions, OptimizerResult } from '@glmm/core';
import { projectInto, resolveBox } from './box.js';
import { boxTrustRegionStep, type BoxTrustRegionStep } from './box-trust-region.js';
import { countedObjective } from './counted-objective.js';
import { defaultInitialStep } from './nelder-mead.js';
import type { InterpolationModel } from './interpolation-model.js';
import { MinFrobeniusInterpolation } from './min-frobenius-interpolation.js';
import { QuadraticInterpolation, quadraticValue, type QuadraticAtCentre } from './quadratic-interpolation.js';

export const BOBYQA_DEFAULTS = {
  maxEvaluations: 10000,
  /** Final trust-region radius, in the units of the parameters. */
  xtolAbs: 1e-8,
  /** Model errors below ftolRel |f| count as exact when deciding to reduce the radius. */
  ftolRel: 1e-12,
  /**
   * Most free parameters modelled by a full quadratic on (n+1)(n+2)/2 points;
   * larger problems use the minimum-Frobenius-norm model on 2n+1 points, which
   * needs fewer evaluations from about n = 8 on (and far fewer to start).
   */
  maxFullQuadraticDimension: 6,
} as const;

/** Attempts (each halving the displacement) before a point with an infinite objective is given up. */
const INFINITE_RETRIES = 6;

/**
 * Bound-constrained derivative-free minimisation with quadratic interpolation
 * models in a trust region, after Powell's BOBYQA (2009). The model is a full
 * quadratic refitted to (n+1)(n+2)/2 points (as in his UOBYQA) for n <= 6 and
 * BOBYQA's minimum-Frobenius-norm model on 2n+1 points above that.
 *
 * The radius rho runs from rhobeg (the largest initialStep; by default 10% of
 * the parameter magnitude, at least 0.1) down to rhoend = xtolAbs. Each
 * iteration minimises the model within the box and the ball of radius delta
 * >= rho; the point it replaces is chosen by Powell's denominators so the set
 * stays well poised, and a point far from the best one is replaced by a
 * geometry step when the model predicts poorly. rho is reduced when a step is
 * short and the recent model errors (or the gradient pointing out of an
 * active bound) say the current resolution is exhausted; model errors below
 * ftolRel |f| count as zero there, since they are beneath the accuracy asked
 * of the objective (and usually its rounding). On termination the last short
 * model step is evaluated too, which gives the final accuracy of order
 * rhoend^2 in the objective.
 *
 * Coordinates are scaled by powers of two so that unequal initial steps become
 * equal; power-of-two scaling is exact, so a bound is hit exactly. A
 * coordinate with equal bounds is held fixed. Infinite (or NaN) values reject
 * a step and shrink the radius. Only evaluations cap the run (maxIterations is
 * ignored, as for Nelder-Mead), and the budget is checked before every
 * evaluation, so it is never exceeded.
 */
export function bobyqa(
  objective: (x: Float64Array) => number,
  x0: Float64Array,
  options: OptimizerOptions = {},
): OptimizerResult {
  const nAll = x0.length;
  const box = resolveBox(nAll, options);
  const step = options.initialStep ?? defaultInitialStep(x0);
  if (step.length !== nAll) throw new RangeError(`initialStep has length ${step.length}, expected ${nAll}`);
  const maxEvaluations = options.maxEvaluations ?? BOBYQA_DEFAULTS.maxEvaluations;
  const xtolAbs = options.xtolAbs ?? BOBYQA_DEFAULTS.xtolAbs;
  const start = projectInto(x0, box);
  const free: number[] = [];
  for (let j = 0; j < nAll; j++) if (box.lower[j]! < box.upper[j]!) free.push(j);
  const n = free.length;

  const f = countedObjective(objective);
  const fStart = f(start);
  const done = (x: Float64Array, fval: number, iterations: number, converged: boolean, message: string): OptimizerResult => ({
    x,
    fval,
    evaluations: f.count,
    iterations,
    converged,
    message,
  });
  if (!(fStart < Infinity)) return done(start, fStart, 0, false, 'objective is not finite at the starting point');
  if (n === 0) return done(start, fStart, 0, true, 'no free parameters');

  // Power-of-two scale per free coordinate: z = x / scale, the largest initial step has scale 1.
  const h = new Float64Array(n);
  let hMax = 0;
  for (let i = 0; i < n; i++) {
    const j = free[i]!;
    const v = Math.abs(step[j]!);
    h[i] = v > 0 && v < Infinity ? v : 0.1 * Math.max(Math.abs(start[j]!), 1);
    hMax = Math.max(hMax, h[i]!);
  }
  const scale = new Float64Array(n);
  const lz = new Float64Array(n);
  const uz = new Float64Array(n);
  const z0 = new Float64Array(n);
  let halfWidth = Infinity;
  let scaleMax = 0;
  for (let i = 0; i < n; i++) {
    const j = free[i]!;
    scale[i] = 2 ** Math.round(Math.log2(h[i]! / hMax));
    scaleMax = Math.max(scaleMax, scale[i]!);
    lz[i] = box.lower[j]! / scale[i]!;
    uz[i] = box.upper[j]! / scale[i]!;
    z0[i] = start[j]! / scale[i]!;
    halfWidth = Math.min(halfWidth, (uz[i]! - lz[i]!) / 2);
  }
  const rhobeg = Math.min(hMax, halfWidth);
  const rhoend = Math.min(xtolAbs / scaleMax, rhobeg);

  const xWork = Float64Array.from(start);
  const toX = (z: ArrayLike<number>, out: Float64Array): Float64Array => {
    for (let i = 0; i < n; i++) out[free[i]!] = z[i]! * scale[i]!;
    return out;
  };
  // The best point met so far, whatever step produced it, is what the run returns.
  let bestZ = Float64Array.from(z0);
  let bestF = fStart;
  const fz = (z: Float64Array): number => {
    const v = f(toX(z, xWork));
    if (v < bestF) {
      bestF = v;
      bestZ = Float64Array.from(z);
    }
    return v;
  };

  const run = trustRegionRun({ n, fz, z0, f0: fStart, lz, uz, rhobeg, rhoend, ftolRel: options.ftolRel ?? BOBYQA_DEFAULTS.ftolRel, budget: () => f.count < maxEvaluations, onIteration: (it) => options.onIteration?.(it, bestF, f.count) });
  return done(toX(bestZ, Float64Array.from(start)), bestF, run.iterations, run.converged, run.message);
}

interface RunSetup {
  readonly n: number;
  readonly fz: (z: Float64Array) => number;
  readonly z0: Float64Array;
  readonly f0: number;
  readonly lz: Float64Array;
  readonly uz: Float64Array;
  readonly rhobeg: number;
  readonly rhoend: number;
  readonly ftolRel: number;
  readonly budget: () => boolean;
  /** After each iteration (OptimizerOptions.onIteration, with the best value and evaluations so far). */
  readonly onIteration: (iteration: number) => void;
}

interface RunOutcome {
  iterations: number;
  converged: boolean;
  message: string;
}

type Attempt = 'ok' | 'budget' | 'infinite';

const BUDGET_MESSAGE = 'stopped at maxEvaluations before the trust-region radius reached its final value';

function trustRegionRun(setup: RunSetup): RunOutcome {
  const { n, fz, lz, uz, rhoend, budget } = setup;
  const interp: InterpolationModel =
    n <= BOBYQA_DEFAULTS.maxFullQuadraticDimension ? new QuadraticInterpolation(n) : new MinFrobeniusInterpolation(n);
  let rho = setup.rhobeg;
  let iterations = 0;
  const outcome = (converged: boolean, message: string): RunOutcome => ({ iterations, converged, message });

  const initial = buildDesign(interp, fz, setup.z0, setup.f0, rho, lz, uz, budget);
  if (initial === 'budget') return outcome(false, BUDGET_MESSAGE);
  if (initial === 'infinite') return outcome(false, 'objective is not finite at the initial interpolation points, even after shrinking them');
  if (!interp.refit()) return outcome(false, 'the initial interpolation points are not poised');

  const evaluate = fz;
  let delta = rho;
  // The last three model errors |f - fbest - q| at new points, and the evaluation count
  // after which they are all from steps no longer than rho.
  let diffA = 0;
  let diffB = 0;
  let diffC = 0;
  let sinceReduction = 0;
  let ntrits = 0;
  let ratio = 1;
  let dnorm = 0;
  const roomDown = new Float64Array(n);
  const roomUp = new Float64Array(n);
  const zNew = new Float64Array(n);
  const recordError = (err: number, length: number): void => {
    diffC = diffB;
    diffB = diffA;
    diffA = Math.abs(err);
    if (length > rho * (1 + 1e-8)) sinceReduction = 0;
    else sinceReduction++;
  };
  const reposition = (): boolean => {
    // The set degenerated numerically: rebuild it about the best point at the current radius.
    const centre = Float64Array.from(interp.point(interp.best));
    const r = buildDesign(interp, evaluate, centre, interp.bestValue, Math.min(rho, halfBoxWidth(lz, uz)), lz, uz, budget);
    return r === 'ok' && interp.refit();
  };

  for (;;) {
    if (!budget()) return outcome(false, BUDGET_MESSAGE);
    const kopt = interp.best;
    const zb = Float64Array.from(interp.point(kopt));
    const fb = interp.bestValue;
    for (let j = 0; j < n; j++) {
      roomDown[j] = lz[j]! - zb[j]!;
      roomUp[j] = uz[j]! - zb[j]!;
    }
    const tr = boxTrustRegionStep(interp.model, delta, roomDown, roomUp);
    if (iterations > 0) setup.onIteration(iterations);
    iterations++;
    dnorm = Math.min(delta, norm(tr.step));
    let improveGeometry: boolean;
    let shortStep: BoxTrustRegionStep | null = null;

    const validated =
      dnorm < 0.5 * rho &&
      resolutionExhausted(interp.model, tr, rho, sinceReduction, Math.max(diffA, diffB, diffC), setup.ftolRel * Math.max(Math.abs(fb), 1));
    if (dnorm < 0.5 * rho) {
      ntrits = -1;
      shortStep = tr;
      improveGeometry = !validated;
    } else {
      ntrits++;
      landStep(zb, tr, lz, uz, zNew);
      const fNew = evaluate(zNew);
      const predicted = tr.predicted;
      if (!(fNew < Infinity)) {
        // Outside the objective's domain: reject the step and shrink.
        ratio = -1;
        delta = 0.5 * dnorm;
        if (delta <= 1.5 * rho) delta = rho;
      } else {
        recordError(fNew - fb - predicted, dnorm);
        ratio = predicted < 0 ? (fNew - fb) / predicted : -1;
        if (ratio <= 0.1) delta = Math.min(0.5 * delta, dnorm);
        else if (ratio <= 0.7) delta = Math.max(0.5 * delta, dnorm);
        else delta = Math.max(0.5 * delta, 2 * dnorm);
        if (delta <= 1.5 * rho) delta = rho;
        const knew = pointToReplace(interp, zNew, fNew < fb, delta);
        interp.set(knew, zNew, fNew);
        if (!interp.refit() && !reposition()) return outcome(false, budget() ? 'interpolation points degenerated' : BUDGET_MESSAGE);
        if (ratio >= 0.1) continue;
      }
      improveGeometry = true;
    }

    let reduce = true;
    if (improveGeometry) {
      // Powell's 10 rho after a short step; after a failed step, the model's own threshold.
      const farFactor = ntrits === -1 ? 10 : interp.staleDistance;
      const far = farthestPoint(interp, Math.max(2 * delta, farFactor * rho));
      if (far >= 0) {
        const dist = interp.distanceFromBest(far);
        if (ntrits === -1) {
          delta = Math.min(0.1 * delta, 0.5 * dist);
          if (delta <= 1.5 * rho) delta = rho;
        }
        ntrits = 0;
        const radius = Math.max(Math.min(0.1 * dist, delta), rho);
        const g = geometryStep(interp, far, radius, lz, uz, evaluate, budget, recordError);
        if (g === 'budget') return outcome(false, BUDGET_MESSAGE);
        if (g === 'ok') {
          if (!interp.refit() && !reposition()) return outcome(false, budget() ? 'interpolation points degenerated' : BUDGET_MESSAGE);
          continue;
        }
        // The geometry step found only infinite values: nothing more to learn at this radius.
      } else if (ntrits !== -1 && (ratio > 0 || Math.max(delta, dnorm) > rho)) {
        reduce = false;
      }
    }
    if (!reduce) continue;

    if (rho <= rhoend) {
      if (shortStep && norm(shortStep.step) > 0 && budget()) {
        // The model step at the final radius was too short to try; its value is the last refinement.
        landStep(zb, shortStep, lz, uz, zNew);
        evaluate(zNew);
      }
      return outcome(true, `trust-region radius reached its final value ${rhoend.toPrecision(3)}`);
    }
    const r = rho / rhoend;
    const rhoNew = r <= 16 ? rhoend : r <= 250 ? Math.sqrt(r) * rhoend : 0.1 * rho;
    delta = Math.max(0.5 * rho, rhoNew);
    rho = rhoNew;
    ntrits = 0;
  }
}

/**
 * Powell's test for a short step (|s| < rho / 2): the work at this radius is
 * done when the last three model errors are small against the curvature of
 * the model (errors of order rho^2 curvature would change the step) and every
 * active bound is held by a gradient clearly pointing out of the box.
 */
function resolutionExhausted(
  model: QuadraticAtCentre,
  tr: BoxTrustRegionStep,
  rho: number,
  sinceReduction: number,
  errBig: number,
  noiseFloor: number,
): boolean {
  if (sinceReduction < 3) return false;
  if (tr.curvature > 0 && errBig > Math.max(0.125 * rho * rho * tr.curvature, noiseFloor)) return false;
  const n = tr.step.length;
  const tol = errBig / rho;
  for (let j = 0; j < n; j++) {
    if (tr.bound[j] === 0) continue;
    let gj = model.gradient[j]!;
    for (let k = 0; k < n; k++) gj += model.hessian[j * n + k]! * tr.step[k]!;
    let test = tr.bound[j] === -1 ? gj : -gj;
    if (test < tol) {
      test += 0.5 * model.hessian[j * n + j]! * rho;
      if (test < tol) return false;
    }
  }
  return true;
}

/**
 * The point the new one replaces: largest |l_k(x_new)|, weighted up by the
 * fourth power of the distance from the best point beyond the radius (far
 * points carry least information about the local model). The best point is
 * kept unless the new point is better.
 */
function pointToReplace(interp: InterpolationModel, zNew: Float64Array, improved: boolean, delta: number): number {
  const weight = interp.replacementWeights(zNew);
  let best = -1;
  let bestScore = -1;
  for (let k = 0; k < interp.m; k++) {
    if (!improved && k === interp.best) continue;
    const r = interp.distanceFromBest(k) / delta;
    const score = weight[k]! * Math.max(1, r * r * r * r);
    if (score > bestScore) {
      bestScore = score;
      best = k;
    }
  }
  // Only NaN weights (a numerically broken system) leave no choice: drop the farthest point.
  return best >= 0 ? best : farthestPoint(interp, 0);
}

/** Index of the point farthest from the best one beyond `threshold`, or -1. */
function farthestPoint(interp: InterpolationModel, threshold: number): number {
  let far = -1;
  let dist = threshold;
  for (let k = 0; k < interp.m; k++) {
    const d = interp.distanceFromBest(k);
    if (d > dist) {
      dist = d;
      far = k;
    }
  }
  return far;
}

/**
 * Replaces point t by a point within `radius` of the best one that makes
 * |l_t| large, which keeps the interpolation system well conditioned. Tried:
 * the lines from the best point through the other points (l_t is a known
 * quadratic along each) and the trust-region maximisers of +l_t and -l_t.
 */
function geometryStep(
  interp: InterpolationModel,
  t: number,
  radius: number,
  lz: Float64Array,
  uz: Float64Array,
  evaluate: (z: Float64Array) => number,
  budget: () => boolean,
  recordError: (err: number, length: number) => void,
): Attempt {
  const n = interp.n;
  const zb = Float64Array.from(interp.point(interp.best));
  const fb = interp.bestValue;
  const lag = interp.lagrangeFunction(t);
  const roomDown = new Float64Array(n);
  const roomUp = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    roomDown[j] = lz[j]! - zb[j]!;
    roomUp[j] = uz[j]! - zb[j]!;
  }
  const s = new Float64Array(n);
  let bestAbs = -1;
  const v = new Float64Array(n);
  const Hv = new Float64Array(n);
  for (let k = 0; k < interp.m; k++) {
    if (k === interp.best) continue;
    const pk = interp.point(k);
    let vv = 0;
    for (let j = 0; j < n; j++) {
      v[j] = pk[j]! - zb[j]!;
      vv += v[j]! * v[j]!;
    }
    if (!(vv > 0)) continue;
    let hi = radius / Math.sqrt(vv);
    let lo = -hi;
    for (let j = 0; j < n; j++) {
      if (v[j]! > 0) {
        hi = Math.min(hi, roomUp[j]! / v[j]!);
        lo = Math.max(lo, roomDown[j]! / v[j]!);
      } else if (v[j]! < 0) {
        hi = Math.min(hi, roomDown[j]! / v[j]!);
        lo = Math.max(lo, roomUp[j]! / v[j]!);
      }
    }
    let gv = 0;
    let vHv = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += lag.hessian[i * n + j]! * v[j]!;
      Hv[i] = row;
      gv += lag.gradient[i]! * v[i]!;
      vHv += v[i]! * row;
    }
    const along = (a: number): number => Math.abs(a * gv + 0.5 * a * a * vHv);
    const candidates = [lo, hi];
    if (vHv !== 0) {
      const a = -gv / vHv;
      if (a > lo && a < hi) candidates.push(a);
    }
    for (const a of candidates) {
      const value = along(a);
      if (value > bestAbs) {
        bestAbs = value;
        for (let j = 0; j < n; j++) s[j] = a * v[j]!;
      }
    }
  }
  for (const sign of [1, -1]) {
    const signed: QuadraticAtCentre = {
      gradient: lag.gradient.map((x) => sign * x),
      hessian: lag.hessian.map((x) => sign * x),
    };
    const tr = boxTrustRegionStep(signed, radius, roomDown, roomUp);
    const value = Math.abs(quadraticValue(lag, tr.step));
    if (value > bestAbs) {
      bestAbs = value;
      s.set(tr.step);
    }
  }

  // No candidate moves l_t off zero (a numerically broken system): report failure, which reduces rho.
  if (!(bestAbs > 0)) return 'infinite';
  const z = new Float64Array(n);
  for (let attempt = 0; attempt < INFINITE_RETRIES; attempt++) {
    if (!budget()) return 'budget';
    for (let j = 0; j < n; j++) z[j] = clamp(zb[j]! + s[j]!, lz[j]!, uz[j]!);
    const fNew = evaluate(z);
    if (fNew < Infinity) {
      recordError(fNew - fb - interp.predictedChange(s), norm(s));
      interp.set(t, z, fNew);
      return 'ok';
    }
    for (let j = 0; j < n; j++) s[j]! *= 0.5;
  }
  return 'infinite';
}

/**
 * Fills the interpolation set about `centre`: per coordinate two more points
 * at +-rho (or +rho, +2rho next to a bound), then one point per pair of
 * coordinates, displaced towards the lower of the two values on each axis.
 * An infinite value halves the displacement (then tries the other side).
 */
function buildDesign(
  interp: InterpolationModel,
  fz: (z: Float64Array) => number,
  centre: Float64Array,
  fCentre: number,
  rho: number,
  lz: Float64Array,
  uz: Float64Array,
  budget: () => boolean,
): Attempt {
  const n = interp.n;
  const z = Float64Array.from(centre);
  interp.set(0, centre, fCentre);
  const offsets: { h: number; value: number }[][] = [];
  let k = 1;
  for (let j = 0; j < n; j++) {
    const up = uz[j]! - centre[j]!;
    const down = centre[j]! - lz[j]!;
    let pair: number[];
    if (up >= rho && down >= rho) pair = [rho, -rho];
    else if (up >= 2 * rho) pair = [rho, 2 * rho];
    else if (down >= 2 * rho) pair = [-rho, -2 * rho];
    else if (up >= down) pair = [Math.min(rho, up), -down];
    else pair = [-Math.min(rho, down), up];
    const tries = [...pair, ...pair.map((p) => -p)].filter((p) => p !== 0 && p <= up && -p <= down);
    const accepted: { h: number; value: number }[] = [];
    for (const base of tries) {
      if (accepted.length === 2) break;
      for (let attempt = 0; attempt < INFINITE_RETRIES; attempt++) {
        const hj = base / 2 ** attempt;
        if (accepted.some((a) => a.h === hj)) continue;
        if (!budget()) return 'budget';
        z[j] = clamp(centre[j]! + hj, lz[j]!, uz[j]!);
        const value = fz(z);
        if (value < Infinity) {
          accepted.push({ h: z[j]! - centre[j]!, value });
          interp.set(k++, z, value);
          break;
        }
      }
    }
    z[j] = centre[j]!;
    if (accepted.length < 2) return 'infinite';
    offsets.push(accepted);
  }
  // The minimum-norm model needs only the 2n + 1 points on the axes.
  for (let i = 0; i < n && interp.m > 2 * n + 1; i++) {
    for (let j = i + 1; j < n; j++) {
      const oi = offsets[i]!;
      const oj = offsets[j]!;
      const hi = oi[0]!.value <= oi[1]!.value ? oi[0]!.h : oi[1]!.h;
      const hj = oj[0]!.value <= oj[1]!.value ? oj[0]!.h : oj[1]!.h;
      let placed = false;
      for (let attempt = 0; attempt < INFINITE_RETRIES && !placed; attempt++) {
        if (!budget()) return 'budget';
        const scaleDown = 2 ** -attempt;
        z[i] = clamp(centre[i]! + scaleDown * hi, lz[i]!, uz[i]!);
        z[j] = clamp(centre[j]! + scaleDown * hj, lz[j]!, uz[j]!);
        const value = fz(z);
        if (value < Infinity) {
          interp.set(k++, z, value);
          placed = true;
        }
      }
      z[i] = centre[i]!;
      z[j] = centre[j]!;
      if (!placed) return 'infinite';
    }
  }
  interp.chooseBest();
  return 'ok';
}

/** zb + s inside the box, with coordinates the step pinned to a bound set to it exactly. */
function landStep(zb: Float64Array, tr: BoxTrustRegionStep, lz: Float64Array, uz: Float64Array, out: Float64Array): void {
  for (let j = 0; j < zb.length; j++) {
    const b = tr.bound[j];
    out[j] = b === -1 ? lz[j]! : b === 1 ? uz[j]! : clamp(zb[j]! + tr.step[j]!, lz[j]!, uz[j]!);
  }
}

function halfBoxWidth(lz: Float64Array, uz: Float64Array): number {
  let w = Infinity;
  for (let j = 0; j < lz.length; j++) w = Math.min(w, (uz[j]! - lz[j]!) / 2);
  return w;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += v[j]! * v[j]!;
  return Math.sqrt(s);
}
