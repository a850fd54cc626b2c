import type { RandomEffectsStructure } from '@glmm/engine';
import type { QuadratureRule } from './gauss-hermite.js';
import type { GlmResponse } from '@glmm/engine';
import { Pirls, type PirlsOutcome } from './pirls.js';

/**
 * The GLMM objectives of lme4, each -2 log-likelihood approximations:
 *  - `stage1(theta)`: beta profiled jointly with u by PIRLS (nAGQ = 0), a fast
 *    way to a good starting theta and beta;
 *  - `deviance(theta, beta)`: the Laplace approximation (nAGQ = 1),
 *    aic(y | mu at the mode) + log|L|^2 + ||u||^2, or adaptive Gauss-Hermite
 *    quadrature when the rule has more than one node.
 */
export class LaplaceObjective {
  readonly pirls: Pirls;
  private jointPirls: Pirls | null = null;
  evaluations = 0;
  halvingFailures = 0;
  private readonly agqEta: Float64Array;
  private readonly agqMu: Float64Array;
  private readonly agqDev: Float64Array;
  private readonly groupSum: Float64Array;
  private readonly groupAcc: Float64Array;
  private readonly nodeSum: Float64Array;

  constructor(
    readonly re: RandomEffectsStructure,
    readonly response: GlmResponse,
    readonly maxIterations: number,
    readonly rule: QuadratureRule | null,
  ) {
    this.pirls = new Pirls(re, response, false);

    const n = re.model.n;
    this.agqEta = new Float64Array(rule ? n : 0);
    this.agqMu = new Float64Array(rule ? n : 0);
    this.agqDev = new Float64Array(rule ? n : 0);
    this.groupSum = new Float64Array(rule ? re.q : 0);
    this.groupAcc = new Float64Array(rule ? re.q : 0);
    this.nodeSum = new Float64Array(rule ? re.q : 0);
  }

  /** The joint (u, beta) PIRLS of stage 1, built on first use: fits that start elsewhere never pay for its n-length buffers. */
  get joint(): Pirls {
    this.jointPirls ??= new Pirls(this.re, this.response, true);
    return this.jointPirls;
  }

  stage1(theta: Float64Array): number {
    this.evaluations++;
    let out = this.joint.run(theta, null, this.maxIterations);
    if (!out.ok) {
      this.joint.u.fill(0);
      out = this.joint.run(theta, null, this.maxIterations);
    }
    if (!out.ok) return Infinity;
    return this.response.aic(out.deviance) + out.ldL2 + out.sqrU;
  }

  /**
   * Runs PIRLS for u at (theta, beta), retrying from u = 0 if the warm start
   * fails.  When both fail the warm start is kept for the next call: where
   * u = 0 is not a valid point (a link that can leave the mean space), it
   * is the only start that can lead back.
   */
  mode(theta: Float64Array, beta: Float64Array, tol?: number): PirlsOutcome {
    let out = this.pirls.run(theta, beta, this.maxIterations, tol);
    if (!out.ok || out.halvingFailed) {
      this.warmU ??= new Float64Array(this.pirls.u.length);
      this.warmU.set(this.pirls.u);
      this.pirls.u.fill(0);
      const retry = this.pirls.run(theta, beta, this.maxIterations, tol);
      if (retry.ok || !out.ok) out = retry;
      if (!retry.ok) this.pirls.u.set(this.warmU);
    }
    if (out.halvingFailed) this.halvingFailures++;
    return out;
  }

  private warmU: Float64Array | null = null;

  /**
   * Whether the AGQ deviance is the exact -2 log-likelihood, the saturated
   * model's -2 log p(y | mu = y) included.  lme4 leaves that constant out
   * (see devianceAtMode); where a family parameter is estimated it depends on
   * the parameter, so leaving it out would move the optimum.
   */
  quadratureIncludesSaturated = false;

  deviance(theta: Float64Array, beta: Float64Array, tol?: number): number {
    this.evaluations++;
    return this.devianceAtMode(this.mode(theta, beta, tol), theta);
  }

  /** The objective's value at a mode PIRLS just found (the state must still be at that mode). */
  devianceAtMode(out: PirlsOutcome, theta: Float64Array): number {
    if (!out.ok) return Infinity;
    if (!this.rule || this.rule.nodes.length === 1) return this.response.aic(out.deviance) + out.ldL2 + out.sqrU;
    // lme4 assembles the AGQ deviance from deviance residuals, leaving out the
    // saturated model's -2 log p(y | mu = y); we follow it so that logLik, AIC
    // and BIC match lme4 (they are not comparable with Laplace values), except
    // where that constant varies with an estimated family parameter.
    const conditional = this.quadratureIncludesSaturated ? this.response.aic(out.deviance) : out.deviance;
    return conditional + out.ldL2 + out.sqrU + this.quadratureCorrection(theta);
  }

  /**
   * Adaptive Gauss-Hermite correction for one scalar term: per group j,
   * -2 log sum_k w_k exp(-Delta_jk / 2), where Delta_jk is the change in
   * D_j(u) + u^2 - z_k^2 from the mode to u = u_j + z_k / L_jj.
   * It is zero for a one-point rule, so AGQ reduces to Laplace.
   */
  private quadratureCorrection(theta: Float64Array): number {
    const re = this.re;
    const rule = this.rule!;
    const term = re.terms[0]!;
    const z = term.columns[0]!;
    const idx = term.index;
    const lambda = re.lambdas(theta)[0]![0]!;
    const model = re.model;
    const n = model.n;
    const nl = re.q;
    const u = this.pirls.u;
    const L = this.pirls.system.chol.values;
    const diag = this.pirls.system.pattern.diagOffset;
    const fam = this.response.family;
    const link = this.response.link;
    const eta0 = this.pirls.eta;
    // D_j at the mode.
    const base = this.groupSum.fill(0);
    const devRes = this.response.devRes;
    for (let r = 0; r < n; r++) base[idx[r]!]! += devRes[r]!;
    for (let j = 0; j < nl; j++) base[j]! += u[j]! * u[j]!;
    const acc = this.groupAcc.fill(0);
    for (let k = 0; k < rule.nodes.length; k++) {
      const zk = rule.nodes[k]!;
      const wk = rule.weights[k]!;
      for (let r = 0; r < n; r++) {
        const j = idx[r]!;
        this.agqEta[r] = eta0[r]! + lambda * z[r]! * (zk / L[diag[j]!]!);
      }
      link.linkinv(this.agqEta, this.agqMu);
      fam.devResiduals(model.y, this.agqMu, model.weights, this.agqDev);
      const dk = this.nodeSum.fill(0);
      for (let r = 0; r < n; r++) dk[idx[r]!]! += this.agqDev[r]!;
      for (let j = 0; j < nl; j++) {
        const uk = u[j]! + zk / L[diag[j]!]!;
        const delta = dk[j]! + uk * uk - zk * zk - base[j]!;
        // A node where a row's mean is undefined (1/mu^2 at eta < 0) lies outside
        // the model's support: its density is 0 there, as the reference integrals take it.
        if (delta === delta) acc[j]! += wk * Math.exp(-delta / 2);
      }
    }
    let s = 0;
    for (let j = 0; j < nl; j++) s += -2 * Math.log(acc[j]!);
    return s;
  }
}
