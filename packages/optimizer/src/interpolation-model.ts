import type { QuadraticAtCentre } from './quadratic-interpolation.js';

/**
 * A quadratic model of f kept by interpolation on a set of points, written
 * about the best point: q(c + s) = f(c) + g's + s'Hs / 2. The trust-region
 * driver only needs these operations, so it runs on either the full
 * quadratic (UOBYQA-like) or the minimum-Frobenius-norm model (BOBYQA-like).
 */
export interface InterpolationModel {
  readonly n: number;
  /** Number of interpolation points. */
  readonly m: number;
  /**
   * After a step that failed the ratio test, points farther than this many
   * rho from the best one are replaced by geometry steps (Powell uses 10).
   */
  readonly staleDistance: number;
  /** Index of the point with the least value: the centre. */
  readonly best: number;
  readonly bestValue: number;
  readonly model: QuadraticAtCentre;
  point(k: number): Float64Array;
  distanceFromBest(k: number): number;
  /** Puts x (with f(x) = fx) in slot k; it becomes the best point when its value is lower. */
  set(k: number, x: ArrayLike<number>, fx: number): void;
  /** Recomputes the best point after the whole set was (re)filled. */
  chooseBest(): void;
  /** Refits the model to the current points; false when they are not poised. */
  refit(): boolean;
  /** q(c + s) - q(c). */
  predictedChange(s: ArrayLike<number>): number;
  /**
   * For each k, how well poised the set stays when point k is replaced by x,
   * written to `out`: Powell's denominators, l_k(x)^2 for full interpolation
   * and |sigma_k(x)| (the determinant ratio of the KKT system) for the
   * minimum-norm model. 0 means the set would degenerate.
   */
  replacementWeights(x: ArrayLike<number>, out?: Float64Array): Float64Array;
  /** Gradient and Hessian at the centre of the Lagrange function of point k. */
  lagrangeFunction(k: number): QuadraticAtCentre;
}
