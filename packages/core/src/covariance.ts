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
  /**
   * Declared capability: Lambda_t is linear in theta, so d Lambda_t / d theta_m
   * is the constant lambda(e_m).  The exact LMM and Laplace gradients and
   * Newton's method need it; without it estimators search derivative-free.
   */
  readonly linearInTheta?: boolean;
  /**
   * Declared capability: the index, within the term's theta, of each diagonal
   * entry of Lambda_t (Lambda_cc is theta[positions[c]] itself, bounded at 0,
   * and the start has every other diagonal theta at its initial value and
   * the off-diagonal ones at 0), or null when the structure has no such
   * positions.  Moment starts write their estimates there, and searches that
   * stop on a zero diagonal entry restart from its mirror image.
   */
  diagonalThetaPositions?(k: number): Int32Array | null;
}
