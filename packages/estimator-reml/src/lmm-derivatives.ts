import type { LmmObjective } from './lmm-objective.js';
import { ThetaKeyed } from './theta-keyed.js';

/**
 * The exact gradient of the profiled deviance of a linear mixed model whose
 * terms are all scalar with Lambda_t = theta_t (RandomEffectsStructure
 * .scalarThetaTerms), and an average-information approximation to its
 * Hessian, both from the factor one evaluation leaves behind.
 *
 * With C = L L' the system of the penalised normal equations in (u, beta),
 * A = Lambda Z'Z Lambda + I its random-effects block, E_t the indicator of
 * term t's levels, u_t = E_t u, nu = N / pwrss (N = n, or n - p for REML)
 * and Lambda G Lambda = A - I:
 *
 *  - dA/dtheta_t = (E_t (A - I) + (A - I) E_t) / theta_t, so
 *    d log det A / dtheta_t = 2 (q_t - tr_t) / theta_t with tr_t the sum of
 *    diag(A^{-1}) over term t (for REML log det A + log det R_X'R_X =
 *    log det C, and tr_t is taken from C^{-1} instead);
 *  - by the normal equations Lambda Z'r = u, d pwrss / dtheta_t = -2 |u_t|^2 / theta_t.
 *
 * Hence  g_t = 2 (q_t - tr_t - nu |u_t|^2) / theta_t.
 *
 * The Hessian's exact log-determinant part needs sums of squares of whole
 * blocks of C^{-1}; as in average-information REML, each is replaced by its
 * expectation under the model in terms of the data: E[a_s' C^{-1} a_t] / sigma^2
 * = delta_st tr_t - tr(E_s C^{-1} E_t C^{-1}) with a_t = (u_t, 0).  With the
 * exact pwrss part (du/dtheta_t = (2 C^{-1} a_t - a_t) / theta_t) and the
 * profiling of sigma^2 this leaves
 *
 *   H_st = 4 nu (delta_st |u_t|^2 - y_s'y_t - nu |u_s|^2 |u_t|^2 / N) / (theta_s theta_t),
 *
 * with y_t = L^{-1} a_t: one forward solve per term, against the selected
 * inverse (one to two factorisations' work) that the gradient needs.  Near
 * the optimum of a model that fits, it is close to the true Hessian, and
 * Newton's method on it converges in a few evaluations.
 */
export class LmmDerivatives {
  private readonly nTerms: number;
  /** diag((L_Z L_Z')^{-1}) at the last evaluation. */
  private readonly inverse = new ThetaKeyed<Float64Array>();
  private readonly ys: Float64Array[];
  private readonly uu: Float64Array;
  private readonly work: Float64Array;

  constructor(private readonly objective: LmmObjective) {
    const re = objective.re;
    if (!re.scalarThetaTerms()) throw new Error('LmmDerivatives needs scalar random-effects terms with Lambda_t = theta_t');
    this.nTerms = re.nTerms;
    const dim = re.q + objective.p;
    this.ys = Array.from({ length: re.nTerms }, () => new Float64Array(dim));
    this.uu = new Float64Array(re.nTerms);
    this.work = new Float64Array(dim);
  }

  /** The profiled deviance at theta, with the gradient in g and the approximate Hessian (column-major) in H. */
  evaluate(theta: Float64Array, g: Float64Array, H: Float64Array): number {
    const { objective, nTerms: T } = this;
    const re = objective.re;
    this.inverse.clear();
    const s = objective.solve(theta, true);
    if (!s) return Infinity;
    const chol = objective.system.chol;
    const { ys, uu } = this;
    // The forward solves first, while they may read the dense tail as factored (solveLFresh).
    for (let t = 0; t < T; t++) {
      const y = ys[t]!.fill(0);
      let sum = 0;
      for (let j = re.coefBase[t]!; j < re.coefBase[t + 1]!; j++) {
        y[j] = s.u[j]!;
        sum += s.u[j]! * s.u[j]!;
      }
      uu[t] = sum;
      chol.solveLFresh(y);
    }
    const inv = chol.inverseDiagonalBlocks(re.nNodes);
    this.inverse.set(theta, inv);
    const N = objective.reml ? objective.n - objective.p : objective.n;
    const nu = N / s.pwrss;
    const traces = this.termTraces(inv);
    for (let t = 0; t < T; t++) {
      const th = theta[t]!;
      // The deviance is even in each theta: at 0 its derivative is 0, and the
      // curvature there is no use to a step, which the bound holds anyway.
      g[t] = th > 0 ? (2 * (re.levels[t]! - traces[t]! - nu * uu[t]!)) / th : 0;
      for (let r = 0; r < T; r++) {
        const tr = theta[r]!;
        if (!(th > 0 && tr > 0)) {
          H[t * T + r] = r === t ? 1 : 0;
          continue;
        }
        const yr = ys[r]!;
        const yt = ys[t]!;
        let dot = 0;
        for (let i = 0; i < yr.length; i++) dot += yr[i]! * yt[i]!;
        H[t * T + r] = (4 * nu * ((r === t ? uu[t]! : 0) - dot - (nu * uu[r]! * uu[t]!) / N)) / (th * tr);
      }
    }
    return s.deviance;
  }

  /** diag((L_Z L_Z')^{-1}) from the last evaluation when it was at theta (for the modes' SDs), else null. */
  inverseDiagonalAt(theta: Float64Array): Float64Array | null {
    return this.inverse.at(theta);
  }

  /**
   * tr_t for every term: sums of diag(A^{-1}), and for REML of diag(C^{-1}),
   * whose u-block is A^{-1} + G G' with G = L_Z^{-T} L_XZ' L_X^{-T}: column c
   * of G is minus the u-part of L^{-T} e_(q + c), one back solve each.
   */
  private termTraces(inv: Float64Array): Float64Array {
    const { objective, nTerms: T } = this;
    const re = objective.re;
    const traces = new Float64Array(T);
    for (let t = 0; t < T; t++) {
      let sum = 0;
      for (let j = re.coefBase[t]!; j < re.coefBase[t + 1]!; j++) sum += inv[j]!;
      traces[t] = sum;
    }
    if (!objective.reml) return traces;
    const chol = objective.system.chol;
    const w = this.work;
    for (let c = 0; c < objective.p; c++) {
      w.fill(0);
      w[re.q + c] = 1;
      chol.solveLt(w);
      for (let t = 0; t < T; t++) {
        let sum = 0;
        for (let j = re.coefBase[t]!; j < re.coefBase[t + 1]!; j++) sum += w[j]! * w[j]!;
        traces[t]! += sum;
      }
    }
    return traces;
  }
}
