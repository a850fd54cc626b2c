import { MixedSystem, type RandomEffectsStructure } from '@glmm/engine';

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
 * are formed once here; each evaluation rescales them by Lambda(theta),
 * refactors, and reads pwrss and the log-determinants off the factor.
 */
export class LmmObjective {
  readonly system: MixedSystem;
  private readonly zty: Float64Array;
  private readonly xty: Float64Array;
  private readonly yty: number;
  private readonly ldW: number;
  private readonly rhs: Float64Array;
  readonly n: number;
  readonly p: number;
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
    const { weights: w, y, offset, X } = model;
    this.system.accumulate(w);
    const wy = new Float64Array(n);
    let yty = 0;
    let ldW = 0;
    for (let r = 0; r < n; r++) {
      const yr = y[r]! - offset[r]!;
      wy[r] = w[r]! * yr;
      yty += wy[r]! * yr;
      // Unit weights, the usual case, add nothing: skip the logarithm.
      if (w[r] !== 1) ldW += Math.log(w[r]!);
    }
    this.yty = yty;
    this.ldW = ldW;
    this.zty = re.ztv(wy);
    this.xty = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      let s = 0;
      const xo = a * n;
      for (let r = 0; r < n; r++) s += X[xo + r]! * wy[r]!;
      this.xty[a] = s;
    }
    this.rhs = new Float64Array(re.q + p);
  }

  /** Profiled deviance (REML criterion or -2 log-likelihood), Infinity where the factor fails. */
  deviance(theta: Float64Array): number {
    const s = this.solve(theta, false);
    return s ? s.deviance : Infinity;
  }

  /** Factors at theta; with `full`, also back-solves for u and beta. */
  solve(theta: Float64Array, full: boolean): LmmSolution | null {
    this.evaluations++;
    const re = this.re;
    const lambdas = re.lambdas(theta);
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
    const n = this.n;
    const p = this.p;
    const deviance = this.reml
      ? ldL2 + ldRX2 - this.ldW + (n - p) * (1 + Math.log((2 * Math.PI * pwrss) / (n - p)))
      : ldL2 - this.ldW + n * (1 + Math.log((2 * Math.PI * pwrss) / n));
    if (!full) return { beta: new Float64Array(0), u: new Float64Array(0), pwrss, ldL2, ldRX2, deviance };
    const sol = Float64Array.from(c);
    this.system.chol.solveLt(sol);
    return { beta: sol.slice(re.q), u: sol.slice(0, re.q), pwrss, ldL2, ldRX2, deviance };
  }
}
