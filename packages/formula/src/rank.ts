import { provablyFullRank } from './gram-screen.js';

/**
 * The cross-product screen proves full rank with this ratio to spare; with
 * the default tolerance that is a factor of 100 above the decision threshold.
 */
const SCREEN_RATIO = 1e-5;

/**
 * Columns of a column-major n x p matrix that are (numerically) linear
 * combinations of the columns before them: modified Gram-Schmidt in column
 * order, a column is aliased when less than `tol` of its norm survives.
 * A design that is clearly of full rank is recognised from X'X in one pass
 * over the rows; anything close to the threshold gets the Gram-Schmidt check.
 */
export function aliasedColumns(X: Float64Array, n: number, p: number, tol = 1e-7): number[] {
  if (tol * 100 <= SCREEN_RATIO && provablyFullRank(X, n, p, SCREEN_RATIO)) return [];
  return gramSchmidtAliased(X, n, p, tol);
}

/** The Gram-Schmidt check on its own (the decision the screen defers to). */
export function gramSchmidtAliased(X: Float64Array, n: number, p: number, tol: number): number[] {
  const basis: Float64Array[] = [];
  const aliased: number[] = [];
  for (let j = 0; j < p; j++) {
    const v = X.slice(j * n, (j + 1) * n);
    let norm0 = 0;
    for (let i = 0; i < n; i++) norm0 += (v[i] as number) * (v[i] as number);
    norm0 = Math.sqrt(norm0);
    if (norm0 === 0) {
      aliased.push(j);
      continue;
    }
    for (const q of basis) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (q[i] as number) * (v[i] as number);
      for (let i = 0; i < n; i++) v[i] = (v[i] as number) - dot * (q[i] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (v[i] as number) * (v[i] as number);
    norm = Math.sqrt(norm);
    if (norm <= tol * norm0) {
      aliased.push(j);
      continue;
    }
    for (let i = 0; i < n; i++) v[i] = (v[i] as number) / norm;
    basis.push(v);
  }
  return aliased;
}
