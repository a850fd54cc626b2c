export interface OptimizerOptions {
  lower?: Float64Array;
  upper?: Float64Array;
  /** Initial step per coordinate (derivative-free methods). */
  initialStep?: Float64Array;
  maxEvaluations?: number;
  maxIterations?: number;
  /** Relative tolerance on the objective. */
  ftolRel?: number;
  /** Absolute tolerance on the parameters. */
  xtolAbs?: number;
  /**
   * Exact gradient of the objective, written into `out`; gradient-based
   * optimisers use it instead of finite differences.  It may assume the
   * objective was evaluated at `x` just before, but must not depend on it.
   */
  gradient?: (x: Float64Array, out: Float64Array) => void;
  /**
   * Hessian of the objective at x0 (d x d, column-major), when the caller can
   * afford it; quasi-Newton methods start from its inverse instead of a
   * scaled identity, which matters when the coordinates have very different curvature.
   */
  initialHessian?: Float64Array;
  /**
   * Called after each outer iteration with the best value so far and the
   * evaluations spent: progress reporting.  It may throw (FitAbortedError)
   * to stop the search; the exception propagates to the caller.
   */
  onIteration?: (iteration: number, fval: number, evaluations: number) => void;
}

export interface OptimizerResult {
  x: Float64Array;
  fval: number;
  evaluations: number;
  iterations: number;
  converged: boolean;
  message: string;
}

/** Minimises an objective that may return Infinity outside its domain. */
export interface Optimizer {
  readonly name: string;
  minimize(
    objective: (x: Float64Array) => number,
    x0: Float64Array,
    options?: OptimizerOptions,
  ): OptimizerResult;
}
