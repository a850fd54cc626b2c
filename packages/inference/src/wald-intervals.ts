import { fromColumnMajor, symmetricPseudoInverse } from './dense.js';
import { checkLevel, criticalValue } from './coefficient-table.js';
import type { CovarianceParameters } from './covariance-parameters.js';
import { centralDifferences } from './finite-differences.js';
import type { IntervalRow, IntervalTable } from './interval-table.js';
import { devianceAtSigma, type LmmDeviance } from './lmm-deviance.js';

/** The Laplace / AGQ deviance of a GLMM at (theta, beta) (GlmmDevianceFunction of @glmm/model has this shape). */
export interface GlmmDevianceLike {
  readonly p: number;
  readonly nTheta: number;
  deviance(theta: Float64Array, beta: Float64Array): number;
}

/** A standard deviation this small relative to the scale is at its boundary (lme4's singular-fit threshold on theta). */
const SD_BOUNDARY = 1e-4;
const COR_BOUNDARY = 1 - 1e-6;

export interface WaldVarpar {
  /** Interval rows of the covariance parameters, in the parameters' order. */
  readonly rows: IntervalRow[];
  /** Standard errors on the sd/cor/sigma scale (delta method), 0 where not available. */
  readonly stdErrors: Float64Array;
  readonly notes: string[];
}

/**
 * Wald intervals for the covariance parameters on the log-SD /
 * atanh-correlation (/ log-sigma) scale, transformed back: the deviance's
 * Hessian H in phi = (log sd, atanh cor, log sigma[, beta]) by central
 * differences, Cov(phi) = 2 H^-1 (the block of the covariance parameters
 * when beta is in phi too), phi +- z se(phi).  Parameters at a boundary (an
 * SD at 0, a correlation at +-1) are held there and reported without a
 * Wald interval, since the normal approximation does not hold.
 */
export function waldVarpar(
  params: CovarianceParameters,
  estimates: Float64Array,
  deviance: (params: Float64Array, extra: Float64Array) => number,
  extra: Float64Array,
  level: number,
  scale: number,
): WaldVarpar {
  checkLevel(level);
  const notes: string[] = [];
  const q = criticalValue(level, null);
  const k = params.parameters.length;
  const boundary = params.parameters.map((p, i) => {
    const v = estimates[i]!;
    if (p.kind === 'cor') return Math.abs(v) >= COR_BOUNDARY || involvesZeroSd(params, estimates, p.term, p.r, p.j, scale);
    return v <= SD_BOUNDARY * scale;
  });
  const free = params.parameters.map((_, i) => i).filter((i) => !boundary[i]);
  const phi = Float64Array.from(free, (i) => toPhi(params.parameters[i]!.kind, estimates[i]!));
  const x0 = new Float64Array(phi.length + extra.length);
  x0.set(phi);
  x0.set(extra, phi.length);
  const f = (x: Float64Array): Float64Array | null => {
    const full = Float64Array.from(estimates);
    free.forEach((i, a) => (full[i] = fromPhi(params.parameters[i]!.kind, x[a]!)));
    const value = deviance(full, x.subarray(phi.length));
    return Number.isFinite(value) ? Float64Array.of(value) : null;
  };
  const stdErrors = new Float64Array(k);
  const ses = new Float64Array(free.length);
  if (x0.length > 0) {
    const d = centralDifferences(f, x0, { levels: 2 });
    const dim = x0.length;
    const H = new Float64Array(dim * dim);
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) H[b * dim + a] = d.hessian[a]![b]![0]!;
    const V = symmetricPseudoInverse(fromColumnMajor(H, dim), 1e-10 * Math.max(...H.map(Math.abs)));
    for (let a = 0; a < free.length; a++) {
      const v = 2 * V.get(a, a);
      ses[a] = v > 0 ? Math.sqrt(v) : 0;
    }
  }
  const rows: IntervalRow[] = params.parameters.map((p, i) => {
    const estimate = estimates[i]!;
    const a = free.indexOf(i);
    if (a < 0) {
      notes.push(
        p.kind === 'cor'
          ? `${p.name}: at or next to +-1, or a standard deviation it involves is 0; no Wald interval`
          : `${p.name}: estimated at 0 (a singular fit); no Wald interval, the lower bound is 0`,
      );
      return { name: p.name, estimate, lower: p.kind === 'cor' ? null : 0, upper: null };
    }
    const se = ses[a]!;
    if (!(se > 0)) {
      notes.push(`${p.name}: the deviance's curvature in this parameter is not positive; no Wald interval`);
      return { name: p.name, estimate, lower: null, upper: null };
    }
    const lo = fromPhi(p.kind, phi[a]! - q * se);
    const hi = fromPhi(p.kind, phi[a]! + q * se);
    stdErrors[i] = p.kind === 'cor' ? se * (1 - estimate * estimate) : se * estimate;
    return { name: p.name, estimate, lower: lo, upper: hi };
  });
  return { rows, stdErrors, notes };
}

function involvesZeroSd(params: CovarianceParameters, estimates: Float64Array, term: number, r: number, j: number, scale: number): boolean {
  return params.parameters.some(
    (p, i) => p.kind === 'sd' && p.term === term && (p.j === r || p.j === j) && estimates[i]! <= SD_BOUNDARY * scale,
  );
}

function toPhi(kind: string, v: number): number {
  return kind === 'cor' ? Math.atanh(v) : Math.log(v);
}

function fromPhi(kind: string, v: number): number {
  return kind === 'cor' ? Math.tanh(v) : Math.exp(v);
}

/** Wald rows of the fixed effects, beta +- z SE (lme4's confint(method = "Wald")). */
export function waldFixed(names: readonly string[], beta: Float64Array, vcov: Float64Array, level: number): IntervalRow[] {
  const q = criticalValue(level, null);
  const p = beta.length;
  return names.map((name, j) => {
    const se = Math.sqrt(vcov[j * p + j]!);
    return { name, estimate: beta[j]!, lower: beta[j]! - q * se, upper: beta[j]! + q * se };
  });
}

/**
 * Wald intervals of a linear mixed model: the covariance parameters from
 * the deviance the fit used (REML or ML, lmerTest's devfun_vp with beta
 * profiled), the fixed effects from vcov(beta).
 */
export function lmmWaldIntervals(
  dev: LmmDeviance,
  params: CovarianceParameters,
  theta: Float64Array,
  sigma: number,
  fixedNames: readonly string[],
  beta: Float64Array,
  vcov: Float64Array,
  level = 0.95,
): IntervalTable {
  const estimates = params.fromTheta(theta, sigma);
  const deviance = (x: Float64Array): number => {
    const m = params.toTheta(x);
    if (!m) return NaN;
    const t = dev.terms(m.theta);
    return t ? devianceAtSigma(t, dev.n, dev.p, dev.reml, m.sigma) : NaN;
  };
  const vp = waldVarpar(params, estimates, deviance, new Float64Array(0), level, sigma);
  return { method: 'wald', level, rows: [...vp.rows, ...waldFixed(fixedNames, beta, vcov, level)], notes: vp.notes };
}

/**
 * Wald intervals of a GLMM: the covariance parameters from the Laplace (or
 * AGQ) deviance in (theta, beta) jointly, the fixed effects from vcov(beta).
 * For a family with a dispersion, sigma is held at its estimate.
 */
export function glmmWaldIntervals(
  dev: GlmmDevianceLike,
  params: CovarianceParameters,
  theta: Float64Array,
  sigma: number,
  fixedNames: readonly string[],
  beta: Float64Array,
  vcov: Float64Array,
  level = 0.95,
): IntervalTable {
  const estimates = params.fromTheta(theta, sigma);
  const deviance = (x: Float64Array, b: Float64Array): number => {
    const m = params.toTheta(x, sigma);
    return m ? dev.deviance(m.theta, b) : NaN;
  };
  const vp = waldVarpar(params, estimates, deviance, beta, level, Math.max(sigma, 1e-300));
  const notes = [...vp.notes];
  if (params.scaled === false && sigma !== 1) notes.push('the dispersion is held at its estimate in the covariance parameters\' intervals');
  return { method: 'wald', level, rows: [...vp.rows, ...waldFixed(fixedNames, beta, vcov, level)], notes };
}
