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
