/**
 * Finite-difference Hessian of f at x with per-coordinate steps h, second-order
 * accurate with d^2 + d + 1 evaluations: the diagonal from f(x +- h_i e_i), and
 * each off-diagonal from f(x + h_i e_i + h_j e_j) and f(x - h_i e_i - h_j e_j),
 * since their sum minus the axis points' sums is 2 h_i h_j H_ij + O(h^4).
 * Used once at the optimum for the fixed-effects covariance of a GLMM, as lme4
 * does (its default `use.hessian = TRUE`).
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
  const plus = new Float64Array(d);
  const minus = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    plus[i] = at(i, 1, -1, 0);
    minus[i] = at(i, -1, -1, 0);
    H[i * d + i] = (plus[i]! - 2 * f0 + minus[i]!) / (h[i]! * h[i]!);
  }
  for (let i = 0; i < d; i++)
    for (let j = 0; j < i; j++) {
      const both = at(i, 1, j, 1) + at(i, -1, j, -1);
      const v = (both - plus[i]! - minus[i]! - plus[j]! - minus[j]! + 2 * f0) / (2 * h[i]! * h[j]!);
      H[i * d + j] = v;
      H[j * d + i] = v;
    }
  return H;
}
