import type { QuadraticAtCentre } from './quadratic-interpolation.js';

/**
 * The point set both interpolation models keep: m points in n dimensions with
 * their values, and which one is best (the model's centre).  The models
 * differ only in how they fit a quadratic to it.
 */
export abstract class InterpolationPoints {
  /** Point k is points[k n .. k n + n). */
  readonly points: Float64Array;
  readonly values: Float64Array;
  /** Index of the point with the least value, the model's centre. */
  best = 0;
  readonly model: QuadraticAtCentre;

  constructor(
    readonly n: number,
    readonly m: number,
  ) {
    this.points = new Float64Array(m * n);
    this.values = new Float64Array(m);
    this.model = { gradient: new Float64Array(n), hessian: new Float64Array(n * n) };
  }

  point(k: number): Float64Array {
    return this.points.subarray(k * this.n, (k + 1) * this.n);
  }

  get bestValue(): number {
    return this.values[this.best]!;
  }

  /** Euclidean distance of point k from the best point. */
  distanceFromBest(k: number): number {
    const n = this.n;
    const c = this.best * n;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += (this.points[k * n + j]! - this.points[c + j]!) ** 2;
    return Math.sqrt(sum);
  }

  /** Puts x (with f(x) = fx) in slot k; it becomes the best point when its value is lower. */
  set(k: number, x: ArrayLike<number>, fx: number): void {
    for (let j = 0; j < this.n; j++) this.points[k * this.n + j] = x[j]!;
    this.values[k] = fx;
    if (fx < this.values[this.best]!) this.best = k;
  }

  /** Recomputes the best point after the whole set was filled (earliest of equal values). */
  chooseBest(): void {
    let best = 0;
    for (let k = 1; k < this.m; k++) if (this.values[k]! < this.values[best]!) best = k;
    this.best = best;
  }
}
