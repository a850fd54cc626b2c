import { EigenvalueDecomposition, Matrix, QrDecomposition } from 'ml-matrix';

/**
 * Conversions between the column-major Float64Arrays of the fit (vcov,
 * Jacobians) and ml-matrix, which does the small dense algebra here:
 * contrast covariances, (L V L')^-1 by eigen-decomposition, least squares.
 */

/** A column-major rows x cols array as a Matrix. */
export function fromColumnMajor(values: Float64Array, rows: number, cols = rows): Matrix {
  if (values.length !== rows * cols) throw new RangeError(`expected ${rows * cols} values, got ${values.length}`);
  const m = new Matrix(rows, cols);
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) m.set(i, j, values[j * rows + i]!);
  return m;
}

export function toColumnMajor(m: Matrix): Float64Array {
  const out = new Float64Array(m.rows * m.columns);
  for (let j = 0; j < m.columns; j++) for (let i = 0; i < m.rows; i++) out[j * m.rows + i] = m.get(i, j);
  return out;
}

/** x' A x for a column-major n x n A. */
export function quadraticForm(x: ArrayLike<number>, A: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let j = 0; j < n; j++) {
    const xj = x[j]!;
    if (xj === 0) continue;
    let col = 0;
    for (let i = 0; i < n; i++) col += A[j * n + i]! * x[i]!;
    s += xj * col;
  }
  return s;
}

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  readonly values: number[];
  /** Eigenvectors as columns, in the order of `values`. */
  readonly vectors: Matrix;
}

/** Eigen-decomposition of a symmetric matrix, largest eigenvalue first (as R's eigen). */
export function symmetricEigen(A: Matrix): SymmetricEigen {
  const sym = A.clone();
  // Symmetrise exactly: finite-difference Hessians are symmetric only to rounding.
  for (let i = 0; i < sym.rows; i++)
    for (let j = 0; j < i; j++) {
      const v = (sym.get(i, j) + sym.get(j, i)) / 2;
      sym.set(i, j, v);
      sym.set(j, i, v);
    }
  const evd = new EigenvalueDecomposition(sym, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((v, i) => ({ v, i })).sort((a, b) => b.v - a.v);
  const vectors = new Matrix(A.rows, A.rows);
  order.forEach(({ i }, c) => {
    for (let r = 0; r < A.rows; r++) vectors.set(r, c, evd.eigenvectorMatrix.get(r, i));
  });
  return { values: order.map((o) => o.v), vectors };
}

/**
 * Moore-Penrose inverse of a symmetric matrix from its eigen-decomposition,
 * keeping the eigenvalues above `tol` (lmerTest's treatment of the Hessian).
 */
export function symmetricPseudoInverse(A: Matrix, tol: number): Matrix {
  const { values, vectors } = symmetricEigen(A);
  const n = A.rows;
  const out = new Matrix(n, n);
  values.forEach((v, c) => {
    if (!(v > tol)) return;
    for (let i = 0; i < n; i++) {
      const vi = vectors.get(i, c) / v;
      for (let j = 0; j < n; j++) out.set(i, j, out.get(i, j) + vi * vectors.get(j, c));
    }
  });
  return out;
}

/** Least-squares coefficients of Y on the columns of X (X of full column rank). */
export function leastSquares(X: Matrix, Y: Matrix): Matrix {
  if (X.columns === 0) return new Matrix(0, Y.columns);
  return new QrDecomposition(X).solve(Y);
}
