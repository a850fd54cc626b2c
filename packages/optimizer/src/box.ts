import type { OptimizerOptions } from '@glmm/core';

/** Lower and upper bounds of a box, one entry per coordinate (infinite when unbounded). */
export interface Box {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/**
 * Reads the bounds from the options, defaulting to an unbounded box. A bound
 * of the wrong length or an empty interval is a programming error of the
 * caller, not bad user data, so it throws a plain RangeError.
 */
export function resolveBox(n: number, options: OptimizerOptions): Box {
  const lower = options.lower ?? new Float64Array(n).fill(-Infinity);
  const upper = options.upper ?? new Float64Array(n).fill(Infinity);
  if (lower.length !== n || upper.length !== n) {
    throw new RangeError(`optimizer bounds have length ${lower.length}/${upper.length}, expected ${n}`);
  }
  for (let j = 0; j < n; j++) {
    if (!(lower[j]! <= upper[j]!)) {
      throw new RangeError(`optimizer bounds of coordinate ${j} are empty: [${lower[j]}, ${upper[j]}]`);
    }
  }
  return { lower, upper };
}

/** Clamps x into the box, writing to `out` (which may be x itself). */
export function projectInto(x: Float64Array, box: Box, out: Float64Array = new Float64Array(x.length)): Float64Array {
  const { lower, upper } = box;
  for (let j = 0; j < x.length; j++) {
    const v = x[j]!;
    out[j] = v < lower[j]! ? lower[j]! : v > upper[j]! ? upper[j]! : v;
  }
  return out;
}
