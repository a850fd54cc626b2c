import type { Optimizer, OptimizerResult, TermModes } from '@glmm/core';
import { conditionalModes, MixedSystem, type RandomEffectsStructure, type ResponseCrossProducts } from '@glmm/engine';
import { inverseFromCholesky } from '@glmm/linalg';

/*
 * The inner fit of every pseudo-likelihood iteration: the weighted linear
 * mixed model of the working data,
 *
 *   z = X beta + Z b + e,   e ~ N(0, s2 W^{-1}),   b ~ N(0, s2 Lambda Lambda'),
 *
 * maximised over theta by ML or REML, with the residual variance s2 either
 * known (fitglme's dispersion fixed at 1) or profiled out (glmmPQL's lme fit;
 * fitglme's DispersionFlag).  This file is the whole of it, so that it can
 * later become the staged deviance contract's LMM object: what it needs from
 * there is (1) cross-products re-accumulated from new weights and response on
 * a structure analysed once, (2) a deviance of theta under a criterion (ML or
 * REML; s2 known or profiled), (3) beta, u and (R_X'R_X)^{-1} at the optimum
 * and the conditional modes, and (4) the search (warm start, restarts).
 */

export interface WorkingLmmCriterion {
  /** Restricted (REML) pseudo-likelihood instead of ML. */
  readonly reml: boolean;
  /** s2 when it is known (1: the dispersion of binomial and Poisson); null when it is profiled out. */
  readonly knownDispersion: number | null;
}

export interface WorkingLmmSolution {
  readonly beta: Float64Array;
  /** Spherical random effects: b = Lambda u. */
  readonly u: Float64Array;
  /** Penalised weighted residual sum of squares ||W^{1/2}(z - X beta - Z Lambda u)||^2 + ||u||^2. */
  readonly pwrss: number;
  readonly ldL2: number;
  readonly ldRX2: number;
  /** -2 log pseudo-likelihood (ML) or -2 restricted log pseudo-likelihood (REML). */
  readonly deviance: number;
  /** s2: the known value, or its profiled estimate pwrss / n (ML), pwrss / (n - p) (REML). */
  readonly dispersion: number;
}

/**
 * -2 log-likelihood of the working LMM from the factor's quantities (Bates
 * et al. 2015, eqs. 34 and 41, with sum log w for the weights):
 *   known s2:    m log(2 pi s2) - sum log w + log|L|^2 [+ log|R_X|^2] + pwrss / s2
 *   profiled s2: m (1 + log(2 pi pwrss / m)) - sum log w + log|L|^2 [+ log|R_X|^2]
 * with m = n - p for REML and n for ML.
 */
export function workingDeviance(
  criterion: WorkingLmmCriterion,
  n: number,
  p: number,
  pwrss: number,
  ldL2: number,
  ldRX2: number,
  logDetW: number,
): { deviance: number; dispersion: number } {
  const m = criterion.reml ? n - p : n;
  const base = ldL2 - logDetW + (criterion.reml ? ldRX2 : 0);
  const s2 = criterion.knownDispersion;
  if (s2 !== null) return { deviance: base + m * Math.log(2 * Math.PI * s2) + pwrss / s2, dispersion: s2 };
  return { deviance: base + m * (1 + Math.log((2 * Math.PI * pwrss) / m)), dispersion: pwrss / m };
}

/**
 * The working LMM on one random-effects structure.  The block pattern (and
 * its symbolic factorisation) is built once; each PL iteration re-accumulates
 * [Z X z]'W[Z X z] in one pass over the rows (`accumulate`), after which an
 * evaluation at theta rescales the cross-products by Lambda(theta) and
 * refactors without touching a row.
 */
export class WorkingLmm {
  readonly system: MixedSystem;
  readonly n: number;
  readonly p: number;
  evaluations = 0;
  private products: ResponseCrossProducts | null = null;
  /** z carries no offset (the working response subtracts it), so the accumulation is told 0. */
  private readonly noOffset: Float64Array;
  private readonly rhs: Float64Array;
  /** Checked at every evaluation: a fit can be cancelled in the middle of a search. */
  private readonly checkAbort: () => void;

  constructor(
    readonly re: RandomEffectsStructure,
    readonly criterion: WorkingLmmCriterion,
    checkAbort: () => void = () => {},
  ) {
    this.n = re.model.n;
    this.p = re.model.p;
    this.system = new MixedSystem(re, true);
    this.noOffset = new Float64Array(this.n);
    this.rhs = new Float64Array(re.q + this.p);
    this.checkAbort = checkAbort;
  }

  /** One pass over the rows: the cross-products of the working data (z without offset, weights w). */
  accumulate(w: Float64Array, z: Float64Array): void {
    this.products = this.system.accumulateWithResponse(w, z, this.noOffset);
  }

  /** The deviance at theta, Infinity where the system is not positive definite. */
  deviance(theta: Float64Array): number {
    return this.solve(theta, false)?.deviance ?? Infinity;
  }

  /**
   * The deviance at theta and, with `full`, beta and u (the factor at theta
   * then stays in `system` for fixedInverse and modes).
   */
  solve(theta: Float64Array, full: boolean): WorkingLmmSolution | null {
    const products = this.products;
    if (!products) throw new Error('WorkingLmm.solve before accumulate');
    this.checkAbort();
    this.evaluations++;
    const re = this.re;
    const lambdas = re.lambdas(theta);
    if (this.system.factor(lambdas) >= 0) return null;
    const c = this.rhs;
    c.set(products.zty, 0);
    re.applyLambdaT(lambdas, c.subarray(0, re.q));
    c.set(products.xty, re.q);
    // Straight after the factor: the forward solve may read the dense tail as factored.
    this.system.chol.solveLFresh(c);
    let r2 = 0;
    for (let i = 0; i < c.length; i++) r2 += c[i]! * c[i]!;
    // Cancellation can leave pwrss at rounding level only for an exact fit.
    const pwrss = Math.max(products.yty - r2, 1e-300);
    const ldL2 = this.system.logDetZ();
    const ldRX2 = this.system.logDetX();
    const { deviance, dispersion } = workingDeviance(this.criterion, this.n, this.p, pwrss, ldL2, ldRX2, products.logDetW);
    if (!full) return { beta: EMPTY, u: EMPTY, pwrss, ldL2, ldRX2, deviance, dispersion };
    const sol = Float64Array.from(c);
    this.system.chol.solveLt(sol);
    return { beta: sol.slice(re.q), u: sol.slice(0, re.q), pwrss, ldL2, ldRX2, deviance, dispersion };
  }

  /** (R_X'R_X)^{-1}, column-major p x p, from the factor of the last full solve. */
  fixedInverse(): Float64Array {
    const system = this.system;
    return this.p > 0 ? inverseFromCholesky(system.chol.values, this.p, system.pattern.diagOffset[system.xNode]!) : new Float64Array(0);
  }

  /** Conditional modes and SDs (Var(b | z) scaled by s2), from the factor of the last full solve. */
  modes(theta: Float64Array, u: Float64Array, dispersion: number): TermModes[] {
    return conditionalModes(this.re, this.system, this.re.lambdas(theta), u, dispersion);
  }
}

const EMPTY = new Float64Array(0);

export interface WorkingLmmFit {
  readonly theta: Float64Array;
  readonly solution: WorkingLmmSolution;
  readonly search: OptimizerResult | null;
}

export interface WorkingLmmSearch {
  readonly optimizer: Optimizer;
  /** Whether theta0 is the previous PL iteration's answer (smaller first steps). */
  readonly warm: boolean;
  readonly maxEvaluations: number;
  /** Final trust radius of the search in theta. */
  readonly thetaTolerance: number;
}

/**
 * Maximises the working LMM's (restricted) pseudo-likelihood over theta from
 * theta0 and solves for beta and u there; null when the system is not
 * positive definite even at the start.  Each PL iteration starts from the
 * previous one's theta, which is close once the working data settle.
 */
export function fitWorkingLmm(lmm: WorkingLmm, theta0: Float64Array, search: WorkingLmmSearch): WorkingLmmFit | null {
  const re = lmm.re;
  let best: OptimizerResult | null = null;
  if (re.nTheta > 0) {
    const run = (from: Float64Array): OptimizerResult =>
      search.optimizer.minimize((th) => lmm.deviance(th), from, {
        lower: re.lower,
        initialStep: from.map((t) => (search.warm ? Math.min(Math.max(0.1 * Math.abs(t), 0.01), 0.25) : 0.25)),
        maxEvaluations: search.maxEvaluations,
        maxIterations: search.maxEvaluations,
        ftolRel: 1e-15,
        xtolAbs: search.thetaTolerance,
      });
    best = run(theta0);
    if (!(best.fval < Infinity)) return null;
    // A search can stop at a zero diagonal of some Lambda_t with the rest of
    // its column pointing the wrong way; search again from the mirror image
    // and keep the better answer (see RandomEffectsStructure.zeroDiagonalRestarts).
    for (const restart of re.zeroDiagonalRestarts(best.x, 1e-2)) {
      const again = run(restart);
      if (again.fval < best.fval - 1e-9 * Math.max(1, Math.abs(best.fval))) best = again;
    }
  }
  const theta = best ? Float64Array.from(best.x) : Float64Array.from(theta0);
  const solution = lmm.solve(theta, true);
  return solution ? { theta, solution, search: best } : null;
}
