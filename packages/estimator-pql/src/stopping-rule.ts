/**
 * When a pseudo-likelihood iteration stops: a measure of the change of the
 * linear predictor between two iterations, and the test against the
 * tolerance.  Both are on eta (offset and random effects included), whose
 * change is what moves the working data.
 */
export interface StoppingRule {
  /** Shown in the convergence message. */
  readonly describe: (tolerance: number) => string;
  /** The criterion for a step from etaOld to etaNew. */
  change(etaOld: Float64Array, etaNew: Float64Array): number;
  converged(change: number, tolerance: number): boolean;
}

/** MASS's glmmPQL: sum((eta - eta_old)^2) < tolerance * sum(eta^2) (its tolerance is 1e-6). */
export const glmmPqlRule: StoppingRule = {
  describe: (tol) => `sum of squared changes in eta below ${tol} x sum(eta^2) (glmmPQL's rule)`,
  change(etaOld, etaNew) {
    let d2 = 0;
    let e2 = 0;
    for (let r = 0; r < etaNew.length; r++) {
      const d = etaNew[r]! - etaOld[r]!;
      d2 += d * d;
      e2 += etaNew[r]! * etaNew[r]!;
    }
    // eta = 0 throughout (and no change) is converged; a change with eta = 0 is not.
    return e2 > 0 ? d2 / e2 : d2 > 0 ? Infinity : 0;
  },
  converged: (change, tol) => change < tol,
};

/**
 * fitglme's PLTolerance as a relative change of the linear predictor:
 * rms(eta - eta_old) <= tolerance * max(1, rms(eta)), absolute where eta is
 * small (a probability near 1/2, a count near 1), so that it can be met.
 */
export const relativeEtaRule: StoppingRule = {
  describe: (tol) => `relative change in eta at most ${tol} (PLTolerance)`,
  change(etaOld, etaNew) {
    let d2 = 0;
    let e2 = 0;
    for (let r = 0; r < etaNew.length; r++) {
      const d = etaNew[r]! - etaOld[r]!;
      d2 += d * d;
      e2 += etaNew[r]! * etaNew[r]!;
    }
    const n = Math.max(etaNew.length, 1);
    return Math.sqrt(d2 / n) / Math.max(1, Math.sqrt(e2 / n));
  },
  converged: (change, tol) => change <= tol,
};
