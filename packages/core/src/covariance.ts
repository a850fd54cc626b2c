/**
 * How a random-effects term's k x k relative covariance factor Lambda_t is
 * parameterised by its slice of theta.  The unstructured (lme4) and diagonal
 * structures are plugins; compound symmetry or AR1 would be one more.
 */
export interface CovarianceStructure {
  readonly name: string;
  /** Whether the structure estimates correlations (reports list covariance rows only then). */
  readonly correlated: boolean;
  /** Number of theta parameters for a term with k columns. */
  nTheta(k: number): number;
  /** Lower bounds of theta (0 for diagonal elements, -Infinity otherwise). */
  lowerBounds(k: number): Float64Array;
  /** Starting theta (lme4 starts from the identity). */
  initialTheta(k: number): Float64Array;
  /** Writes the k x k lower-triangular factor, column-major, into `out`. */
  lambda(theta: Float64Array, k: number, out: Float64Array): void;
  /** Names of the parameters, for reports: e.g. ["(Intercept)", "Days.(Intercept)", "Days"]. */
  thetaNames(columnNames: readonly string[]): string[];
}
