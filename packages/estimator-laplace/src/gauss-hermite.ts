export interface QuadratureRule {
  /** Nodes z_k for the standard normal weight. */
  nodes: Float64Array;
  /** Weights summing to 1: sum_k w_k f(z_k) ~ E[f(Z)], Z ~ N(0, 1). */
  weights: Float64Array;
}

const cache = new Map<number, QuadratureRule>();

/**
 * Gauss-Hermite rule for the standard normal density.  The nodes are the
 * eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials
 * (zero diagonal, off-diagonal sqrt(k)), found by Sturm-sequence bisection,
 * which is exact to rounding and needs no eigen-solver; the weights are the
 * Christoffel numbers 1 / sum_j q_j(z)^2 of the orthonormal polynomials q_j.
 */
export function gaussHermite(n: number): QuadratureRule {
  const hit = cache.get(n);
  if (hit) return hit;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`number of quadrature points must be an integer in 1..100, got ${n}`);
  // Eigenvalues below lambda: negative pivots of the LDL' factorisation of J - lambda I.
  const countBelow = (lambda: number): number => {
    let count = 0;
    let d = -lambda;
    if (d < 0) count++;
    for (let k = 1; k < n; k++) {
      const prev = d === 0 ? 1e-300 : d;
      d = -lambda - k / prev;
      if (d < 0) count++;
    }
    return count;
  };
  // Gershgorin bound: |lambda| <= 2 sqrt(n).
  const bound = 2 * Math.sqrt(n) + 1;
  const nodes = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let lo = -bound;
    let hi = bound;
    for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(1, Math.abs(lo)); it++) {
      const mid = (lo + hi) / 2;
      if (countBelow(mid) > k) hi = mid;
      else lo = mid;
    }
    nodes[k] = (lo + hi) / 2;
  }
  // Symmetrise (the rule is symmetric about 0; an odd rule has an exact 0).
  for (let k = 0; k < n >> 1; k++) {
    const a = (nodes[n - 1 - k]! - nodes[k]!) / 2;
    nodes[k] = -a;
    nodes[n - 1 - k] = a;
  }
  if (n % 2 === 1) nodes[n >> 1] = 0;
  const weights = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) {
    const z = nodes[k]!;
    let q0 = 1;
    let q1 = z;
    let s = 1 + (n > 1 ? z * z : 0);
    for (let j = 2; j < n; j++) {
      const q2 = (z * q1 - Math.sqrt(j - 1) * q0) / Math.sqrt(j);
      s += q2 * q2;
      q0 = q1;
      q1 = q2;
    }
    weights[k] = 1 / s;
    total += weights[k]!;
  }
  // The weights sum to 1 exactly in exact arithmetic; remove the rounding.
  for (let k = 0; k < n; k++) weights[k]! /= total;
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
