import { MixedSystem, type RandomEffectsStructure } from '@glmm/engine';
import { ScalarTermProfile } from './scalar-term-profile.js';

export interface LmmSolution {
  beta: Float64Array;
  u: Float64Array;
  pwrss: number;
  ldL2: number;
  ldRX2: number;
  deviance: number;
}

/**
 * Profiled deviance of a linear mixed model as a function of theta
 * (Bates et al. 2015, eqs. 34 and 41).  The cross-products [Z X y]'W[Z X y]
 * are formed once here, in one pass over the rows; each evaluation rescales
 * them by Lambda(theta), refactors, and reads pwrss and the log-determinants
 * off the factor (for one scalar term, off a closed form instead).
 */
export class LmmObjective {
  readonly system: MixedSystem;
  private readonly zty: Float64Array;
  private readonly xty: Float64Array;
  private readonly yty: number;
  private readonly ldW: number;
  private readonly rhs: Float64Array;
  /** Closed form for one scalar term, used while searching theta (the final solve still factors the system). */
  private readonly profile: ScalarTermProfile | null;
  readonly n: number;
  readonly p: number;
  /** Whether every prior weight is 1 (then deviance, Pearson and response residuals coincide). */
  readonly unitWeights: boolean;
  evaluations = 0;

  constructor(
    readonly re: RandomEffectsStructure,
    readonly reml: boolean,
  ) {
    const model = re.model;
    const n = model.n;
    const p = model.p;
    this.n = n;
    this.p = p;
    this.system = new MixedSystem(re, true);
    // One pass over the rows gives every cross-product; no evaluation touches a row again.
    const products = this.system.accumulateWithResponse(model.weights, model.y, model.offset);
    this.zty = products.zty;
    this.xty = products.xty;
    this.yty = products.yty;
    this.ldW = products.logDetW;
    this.unitWeights = products.unitWeights;
    this.rhs = new Float64Array(re.q + p);
    this.profile = re.nTerms === 1 && re.k[0] === 1 ? new ScalarTermProfile(this.system, products) : null;
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
   * leaves the factor of the system at theta in `system` (the closed form for
   * a scalar term serves only the search, which needs no factor).
   */
  solve(theta: Float64Array, full: boolean): LmmSolution | null {
    this.evaluations++;
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
    this.system.chol.solveL(c);
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
    return { beta: sol.slice(re.q), u: sol.slice(0, re.q), pwrss, ldL2, ldRX2, deviance };
  }
}
