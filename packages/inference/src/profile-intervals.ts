import { bobyqa } from '@glmm/optimizer';
import { checkLevel, criticalValue } from './coefficient-table.js';
import type { CovarianceParameters } from './covariance-parameters.js';
import type { IntervalRow, IntervalTable } from './interval-table.js';
import { devianceAtSigma, profiledDeviance, type LmmDeviance } from './lmm-deviance.js';
import { lmmOptimum } from './lmm-optimum.js';
import { waldVarpar } from './wald-intervals.js';

/**
 * Profile-likelihood intervals of a linear mixed model, as lme4's
 * confint(method = "profile"): on the ML deviance (a REML fit is refitted
 * by ML first, as lme4's profile does), each covariance parameter is fixed
 * on the sd / cor / sigma scale and the others re-optimised; each fixed
 * effect is fixed and theta re-optimised (sigma and the other fixed effects
 * in closed form).  The signed root deviance zeta(x) = sign(x - x_hat)
 * sqrt(D(x) - D_hat) is followed out from the estimate until it crosses the
 * normal quantile, and the crossing found by safeguarded secant steps.
 * Where a parameter reaches its bound first (an SD at 0, a correlation at
 * +-1), the bound is the limit, as lme4 reports it.
 */
export function lmmProfileIntervals(
  dev: LmmDeviance,
  params: CovarianceParameters,
  theta: Float64Array,
  fixedNames: readonly string[],
  level = 0.95,
): IntervalTable {
  checkLevel(level);
  const z = criticalValue(level, null);
  const notes: string[] = [];
  if (dev.reml) notes.push('profiled on the ML deviance: the REML fit was refitted by ML first, as lme4 does');
  const ml = lmmOptimum(dev, theta, false);
  const n = dev.n;
  const p = dev.p;
  const base = ml.deviance + (dev.logDetWeights ?? 0);
  const estimates = params.fromTheta(ml.theta, ml.sigma);
  const k = estimates.length;

  const mlDeviance = (x: Float64Array): number => {
    const m = params.toTheta(x);
    if (!m) return Infinity;
    const t = dev.terms(m.theta);
    return t ? devianceAtSigma(t, n, p, false, m.sigma) : Infinity;
  };
  // Wald standard errors on the natural scale set the first steps and the inner searches' scales.
  const wald = waldVarpar(params, estimates, (x) => mlDeviance(x), new Float64Array(0), level, ml.sigma);
  const scales = Float64Array.from(params.parameters, (prm, i) => {
    const se = wald.stdErrors[i]!;
    if (se > 0) return se;
    return prm.kind === 'cor' ? 0.1 : 0.1 * Math.max(estimates[i]!, ml.sigma * 0.01);
  });
  const lower = Float64Array.from(params.parameters, (prm) => (prm.kind === 'cor' ? -1 : 0));
  const upper = Float64Array.from(params.parameters, (prm) => (prm.kind === 'cor' ? 1 : Infinity));

  const rows: IntervalRow[] = [];
  for (let w = 0; w < k; w++) {
    const others = [...Array(k).keys()].filter((i) => i !== w);
    // The other parameters, in units of their scales, warm-started from the nearest point profiled so far.
    const starts: { x: number; rest: Float64Array }[] = [{ x: estimates[w]!, rest: Float64Array.from(others, (i) => estimates[i]! / scales[i]!) }];
    const zeta = (x: number): number => {
      const start = nearest(starts, x);
      const full = Float64Array.from(estimates);
      full[w] = x;
      const f = (y: Float64Array): number => {
        others.forEach((i, a) => (full[i] = y[a]! * scales[i]!));
        return mlDeviance(full);
      };
      let value: number;
      let rest = start;
      if (others.length === 0) value = f(new Float64Array(0));
      else {
        const result = bobyqa(f, start, {
          lower: Float64Array.from(others, (i) => lower[i]! / scales[i]!),
          upper: Float64Array.from(others, (i) => upper[i]! / scales[i]!),
          initialStep: new Float64Array(others.length).fill(0.5),
          maxEvaluations: 5000,
          ftolRel: 1e-14,
          xtolAbs: 1e-7,
        });
        value = result.fval;
        rest = Float64Array.from(result.x);
      }
      if (Number.isFinite(value)) starts.push({ x, rest });
      return signedRoot(x - estimates[w]!, value - base);
    };
    const prm = params.parameters[w]!;
    const bounds = prm.kind === 'cor' ? [-1 + 1e-9, 1 - 1e-9] : [0, Infinity];
    const lo = crossing(zeta, estimates[w]!, -1, z, bounds[0]!, scales[w]!);
    const hi = crossing(zeta, estimates[w]!, 1, z, bounds[1]!, scales[w]!);
    rows.push({ name: prm.name, estimate: estimates[w]!, lower: snap(lo, prm.kind), upper: snap(hi, prm.kind) });
    if (lo === null || hi === null) notes.push(`${prm.name}: the profile did not reach the ${level} level on one side`);
  }

  // Fixed effects: with beta_j fixed at b, minimising over the other coefficients and u adds
  // (b - beta_j(theta))^2 / [(R_X'R_X)^-1]_jj to pwrss; sigma profiles out in closed form.
  fixedNames.forEach((name, j) => {
    const est = ml.beta[j]!;
    const se = ml.sigma * Math.sqrt(ml.fixedInverse[j * p + j]!);
    const starts: { x: number; rest: Float64Array }[] = [{ x: est, rest: Float64Array.from(ml.theta) }];
    const zeta = (b: number): number => {
      const f = (th: Float64Array): number => {
        const t = dev.terms(th);
        if (!t) return Infinity;
        const shift = b - t.beta[j]!;
        return profiledDeviance({ ...t, pwrss: t.pwrss + (shift * shift) / t.fixedInverse[j * p + j]! }, n, p, false);
      };
      const start = nearest(starts, b);
      let value: number;
      let rest = start;
      if (start.length === 0) value = f(start);
      else {
        const result = bobyqa(f, start, {
          lower: dev.lower,
          initialStep: start.map((v) => Math.min(Math.max(0.1 * Math.abs(v), 0.02), 0.25)),
          maxEvaluations: 5000,
          ftolRel: 1e-14,
          xtolAbs: 1e-8,
        });
        value = result.fval;
        rest = Float64Array.from(result.x);
      }
      if (Number.isFinite(value)) starts.push({ x: b, rest });
      // The ML deviance here is profiledDeviance at sigma-hat, on the same footing as `base` (both without -log det W).
      return signedRoot(b - est, value - base);
    };
    const lo = crossing(zeta, est, -1, z, -Infinity, se);
    const hi = crossing(zeta, est, 1, z, Infinity, se);
    rows.push({ name, estimate: est, lower: lo, upper: hi });
    if (lo === null || hi === null) notes.push(`${name}: the profile did not reach the ${level} level on one side`);
  });
  return { method: 'profile', level, rows, notes };
}

function signedRoot(direction: number, excess: number): number {
  // A slightly lower deviance than the optimum's is rounding (or a better optimum): zeta is 0 there.
  const root = Math.sqrt(Math.max(excess, 0));
  return direction < 0 ? -root : root;
}

function nearest(starts: readonly { x: number; rest: Float64Array }[], x: number): Float64Array {
  let best = starts[0]!;
  for (const s of starts) if (Math.abs(s.x - x) < Math.abs(best.x - x)) best = s;
  return Float64Array.from(best.rest);
}

/** Bounds of sd and cor are reported exactly when the search stopped next to them. */
function snap(v: number | null, kind: string): number | null {
  if (v === null) return null;
  if (kind === 'cor' && Math.abs(v) > 1 - 1e-8) return Math.sign(v);
  return v;
}

/**
 * Where dir * zeta(x) = target on the side `dir` of x0, or `bound` when
 * the profile reaches the bound first; null when no crossing is found.
 * zeta(x0) = 0 and dir * zeta increases away from x0.
 */
export function crossing(zeta: (x: number) => number, x0: number, dir: 1 | -1, target: number, bound: number, step: number): number | null {
  const s = (x: number): number => dir * zeta(x);
  const clamp = (x: number): number => (dir > 0 ? Math.min(x, bound) : Math.max(x, bound));
  let xa = x0;
  let sa = 0;
  let xb = clamp(x0 + dir * step);
  if (xb === xa) return bound;
  let sb = s(xb);
  for (let i = 0; i < 60 && !(sb >= target); i++) {
    if (xb === bound) return bound;
    // Extrapolate the last two points to the target, overshooting a little to bracket it; limit the growth.
    const slope = (sb - sa) / (xb - xa);
    let next = slope > 0 && Number.isFinite(sb) ? xb + (1.1 * (target - sb)) / slope : xb + 2 * (xb - xa);
    const far = 4 * Math.abs(xb - x0) + step;
    if (Math.abs(next - xb) > far) next = xb + dir * far;
    if (dir * (next - xb) <= 0) next = xb + dir * step;
    xa = xb;
    sa = sb;
    xb = clamp(next);
    sb = s(xb);
  }
  if (!(sb >= target)) return null;
  // Regula falsi with the Illinois modification inside [xa, xb], sa < target <= sb.
  let fa = sa - target;
  let fb = sb - target;
  let side = 0;
  for (let i = 0; i < 100; i++) {
    const x = xb - (fb * (xb - xa)) / (fb - fa);
    const fx = s(x) - target;
    if (Math.abs(fx) < 1e-7 || Math.abs(xb - xa) < 1e-10 * (Math.abs(x) + step)) return x;
    if (fx < 0) {
      xa = x;
      fa = fx;
      if (side === -1) fb /= 2;
      side = -1;
    } else {
      xb = x;
      fb = fx;
      if (side === 1) fa /= 2;
      side = 1;
    }
  }
  return xb - (fb * (xb - xa)) / (fb - fa);
}
