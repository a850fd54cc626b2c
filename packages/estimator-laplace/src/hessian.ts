/**
 * Central finite-difference Hessian of f at x with per-coordinate steps h.
 * Used once at the optimum for the fixed-effects covariance of a GLMM, as
 * lme4 does (its default `use.hessian = TRUE`).
 */
export function finiteDifferenceHessian(
  f: (x: Float64Array) => number,
  x: Float64Array,
  h: Float64Array,
): Float64Array {
  const d = x.length;
  const H = new Float64Array(d * d);
  const f0 = f(x);
  const y = Float64Array.from(x);
  const at = (i: number, si: number, j: number, sj: number): number => {
    y.set(x);
    y[i]! += si * h[i]!;
    if (j >= 0) y[j]! += sj * h[j]!;
    return f(y);
  };
  for (let i = 0; i < d; i++) {
    H[i * d + i] = (at(i, 1, -1, 0) - 2 * f0 + at(i, -1, -1, 0)) / (h[i]! * h[i]!);
    for (let j = 0; j < i; j++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * h[i]! * h[j]!);
      H[i * d + j] = v;
      H[j * d + i] = v;
    }
  }
  return H;
}
