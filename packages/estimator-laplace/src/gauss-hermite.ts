import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export interface QuadratureRule {
  /** Nodes z_k for the standard normal weight. */
  nodes: Float64Array;
  /** Weights summing to 1: sum_k w_k f(z_k) ~ E[f(Z)], Z ~ N(0, 1). */
  weights: Float64Array;
}

const cache = new Map<number, QuadratureRule>();

/**
 * Gauss-Hermite rule for the standard normal density by the Golub-Welsch
 * algorithm: the nodes are the eigenvalues of the Jacobi matrix of the
 * probabilists' Hermite polynomials (off-diagonal sqrt(i)), the weights the
 * squared first components of its normalised eigenvectors.
 */
export function gaussHermite(n: number): QuadratureRule {
  const hit = cache.get(n);
  if (hit) return hit;
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new Error(`number of quadrature points must be an integer in 1..100, got ${n}`);
  const J = Matrix.zeros(n, n);
  for (let i = 1; i < n; i++) {
    J.set(i, i - 1, Math.sqrt(i));
    J.set(i - 1, i, Math.sqrt(i));
  }
  const evd = new EigenvalueDecomposition(J, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  let total = 0;
  order.forEach(([v, i], k) => {
    // Symmetrise: exact zero for the middle node of an odd rule.
    nodes[k] = Math.abs(v) < 1e-14 ? 0 : v;
    const c = vectors.get(0, i);
    weights[k] = c * c;
    total += c * c;
  });
  for (let k = 0; k < n; k++) weights[k]! /= total;
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
