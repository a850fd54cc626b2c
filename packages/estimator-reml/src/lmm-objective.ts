import type { TermModes } from '@glmm/core';
import { conditionalModes, MixedSystem, scalarTermModes, scalarTermSums, type RandomEffectsStructure, type ScalarTermSums } from '@glmm/engine';
import { inverseFromCholesky } from '@glmm/linalg';
import { ScalarTermProfile } from './scalar-term-profile.js';
import { ThetaKeyed } from './theta-keyed.js';

export interface LmmSolution {
  beta: Float64Array;
  u: Float64Array;
  pwrss: number;
  ldL2: number;
  ldRX2: number;
  deviance: number;
}

/**
 * The solution at the optimum with everything the fit reports from it:
 * (R_X'R_X)^{-1} (vcov(beta) / sigma^2) and the conditional modes.
 */
export interface LmmOptimum {
  readonly solution: LmmSolution;
  /** Column-major p x p. */
  readonly fixedInverse: Float64Array;
  /**
   * Conditional modes and their SDs with Var(u | y) scaled by `scale`
   * (sigma^2).  Take them before the objective is evaluated again: the
   * block path reads the factor the objective holds.
   */
  modes(lambdas: readonly Float64Array[], scale: number): TermModes[];
}

/**
 * Profiled deviance of a linear mixed model as a function of theta
 * (Bates et al. 2015, eqs. 34 and 41).  The cross-products [Z X y]'W[Z X y]
 * are formed once here, in one pass over the rows; each evaluation rescales
 * them by Lambda(theta), refactors, and reads pwrss and the log-determinants
 * off the factor.  One scalar term needs no factor at all: the closed form
 * of ScalarTermProfile gives the deviance and the solution, and the block
 * system is set up only when asked for.
 */
export class LmmObjective {
  private blockSystem: MixedSystem | null = null;
  /** Z'W(y - offset) and X'W(y - offset). */
  readonly zty: Float64Array;
  readonly xty: Float64Array;
  private readonly yty: number;
  /** log det W of the prior weights. */
  readonly ldW: number;
  private readonly rhs: Float64Array;
  /** Closed form for one scalar term. */
  private readonly profile: ScalarTermProfile | null;
  readonly n: number;
  readonly p: number;
  /** Whether every prior weight is 1 (then deviance, Pearson and response residuals coincide). */
  readonly unitWeights: boolean;
  evaluations = 0;
  /** The full solution whose factor `system` holds (cleared once a later evaluation refactors). */
  private readonly held = new ThetaKeyed<LmmSolution>();

  constructor(
    readonly re: RandomEffectsStructure,
    readonly reml: boolean,
  ) {
    const model = re.model;
    const n = model.n;
    const p = model.p;
    this.n = n;
    this.p = p;
    this.rhs = new Float64Array(re.q + p);
    // One pass over the rows gives every cross-product; no evaluation touches a row again.
    if (re.nTerms === 1 && re.k[0] === 1) {
      const sums = scalarTermSums(re, model.weights, model.y, model.offset);
      this.profile = new ScalarTermProfile(sums);
      const pe = p + 1;
      this.zty = levelResponseSums(sums);
      this.xty = new Float64Array(p);
      for (let a = 0; a < p; a++) this.xty[a] = sums.xx[a * pe + p]!;
      this.yty = sums.xx[p * pe + p]!;
      this.ldW = sums.logDetW;
      this.unitWeights = sums.unitWeights;
      return;
    }
    this.profile = null;
    this.blockSystem = new MixedSystem(re, true);
    const products = this.blockSystem.accumulateWithResponse(model.weights, model.y, model.offset);
    this.zty = products.zty;
    this.xty = products.xty;
    this.yty = products.yty;
    this.ldW = products.logDetW;
    this.unitWeights = products.unitWeights;
  }

  /**
   * The block system of the penalised normal equations, accumulated (for one
   * scalar term built on first use, which costs another pass over the rows).
   */
  get system(): MixedSystem {
    if (this.blockSystem === null) {
      const system = new MixedSystem(this.re, true);
      system.accumulate(this.re.model.weights);
      this.blockSystem = system;
    }
    return this.blockSystem;
  }

  /** Profiled deviance (REML criterion or -2 log-likelihood), Infinity where the factor fails. */
  deviance(theta: Float64Array): number {
    const s = this.solve(theta, false);
    return s ? s.deviance : Infinity;
  }

  /** Bates et al. (2015) eq. 41 (REML) or 34 (ML) from pwrss and the log-determinants. */
  private profiledDeviance(pwrss: number, ldL2: number, ldRX2: number): number {
    const n = this.n;
    const p = this.p;
    return this.reml
      ? ldL2 + ldRX2 - this.ldW + (n - p) * (1 + Math.log((2 * Math.PI * pwrss) / (n - p)))
      : ldL2 - this.ldW + n * (1 + Math.log((2 * Math.PI * pwrss) / n));
  }

  /**
   * The deviance at theta; with `full`, also back-solves for u and beta and
   * leaves the factor of the system at theta in `system` (for one scalar
   * term `full` still factors the block system; `optimum` gives the same in
   * closed form).
   */
  solve(theta: Float64Array, full: boolean): LmmSolution | null {
    this.evaluations++;
    this.held.clear();
    const re = this.re;
    const lambdas = re.lambdas(theta);
    if (!full && this.profile) {
      const terms = this.profile.evaluate(lambdas[0]![0]!);
      if (!terms) return null;
      const empty = new Float64Array(0);
      return { beta: empty, u: empty, ...terms, deviance: this.profiledDeviance(terms.pwrss, terms.ldL2, terms.ldRX2) };
    }
    if (this.system.factor(lambdas) >= 0) return null;
    const c = this.rhs;
    c.set(this.zty, 0);
    re.applyLambdaT(lambdas, c.subarray(0, re.q));
    c.set(this.xty, re.q);
    // Straight after the factor: the forward solve may read the dense tail as factored.
    this.system.chol.solveLFresh(c);
    let r2 = 0;
    for (let i = 0; i < c.length; i++) r2 += c[i]! * c[i]!;
    // pwrss can lose digits to cancellation only when the fit is nearly exact; clamp at a tiny positive value.
    const pwrss = Math.max(this.yty - r2, 1e-300);
    const ldL2 = this.system.logDetZ();
    const ldRX2 = this.system.logDetX();
    const deviance = this.profiledDeviance(pwrss, ldL2, ldRX2);
    if (!full) return { beta: new Float64Array(0), u: new Float64Array(0), pwrss, ldL2, ldRX2, deviance };
    const sol = Float64Array.from(c);
    this.system.chol.solveLt(sol);
    const solution = { beta: sol.slice(re.q), u: sol.slice(0, re.q), pwrss, ldL2, ldRX2, deviance };
    this.held.set(theta, solution);
    return solution;
  }

  /**
   * The solution at theta (the optimum) with vcov's inverse and the modes:
   * in closed form for one scalar term, else from the factor at theta,
   * which is not formed again when the last evaluation was a full solve at
   * this theta.  `inverseDiagonal`, when the caller has it for that factor,
   * is the diagonal blocks of (L_Z L_Z')^{-1} the modes' SDs need.
   */
  optimum(theta: Float64Array, inverseDiagonal: Float64Array | null = null): LmmOptimum | null {
    const re = this.re;
    if (this.profile) {
      this.evaluations++;
      const s = this.profile.solve(re.lambdas(theta)[0]![0]!);
      if (!s) return null;
      const { beta, u, pwrss, ldL2, ldRX2, fixedInverse, inverseDiagonal } = s;
      return {
        solution: { beta, u, pwrss, ldL2, ldRX2, deviance: this.profiledDeviance(pwrss, ldL2, ldRX2) },
        fixedInverse,
        modes: (lambdas, scale) => scalarTermModes(re, lambdas, u, inverseDiagonal, scale),
      };
    }
    const held = this.held.at(theta);
    const solution = held ?? this.solve(theta, true);
    if (!solution) return null;
    const inverse = held ? inverseDiagonal : null;
    const system = this.system;
    const p = this.p;
    const fixedInverse = p > 0 ? inverseFromCholesky(system.chol.values, p, system.pattern.diagOffset[system.xNode]!) : new Float64Array(0);
    return { solution, fixedInverse, modes: (lambdas, scale) => conditionalModes(re, system, lambdas, solution.u, scale, inverse) };
  }
}

/**
 * Z'W(y - offset) of one scalar term (one entry per level), out of its sums.
 * A loop over the levels of its own: in the constructor V8 would compile it
 * on the stack and the code after it, without type feedback, would deoptimise.
 */
function levelResponseSums(sums: ScalarTermSums): Float64Array {
  const { perLevel, stride, levels } = sums;
  const zty = new Float64Array(levels);
  const at = sums.p + 1;
  for (let j = 0; j < levels; j++) zty[j] = perLevel[j * stride + at]!;
  return zty;
}
