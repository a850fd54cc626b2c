/**
 * First and second derivatives of a vector-valued function by central
 * differences with Richardson extrapolation (the method of numDeriv's genD,
 * which lmerTest uses, written for vector values so that one set of
 * evaluations serves several outputs, e.g. a deviance and vcov(beta)).
 */

/** f(x) as a vector of outputs, or null where f is undefined (the caller's system is not positive definite). */
export type VectorFunction = (x: Float64Array) => Float64Array | null;

export interface DifferenceOptions {
  /** Step relative to max(|x_i|, minScale); default 1e-3. */
  readonly relativeStep?: number;
  /** Floor of the step's scale for coordinates near 0; default 0.1. */
  readonly minScale?: number;
  /** Richardson levels (each halves the step); default 3. */
  readonly levels?: number;
  /** Whether to form second derivatives (otherwise only the gradient). */
  readonly second?: boolean;
}

export interface Differences {
  /** f(x). */
  readonly value: Float64Array;
  /** gradient[i][k] = d f_k / d x_i. */
  readonly gradient: Float64Array[];
  /** hessian[i][j][k] = d2 f_k / dx_i dx_j (symmetric; both halves filled); empty without `second`. */
  readonly hessian: Float64Array[][];
  /** Evaluations of f. */
  readonly evaluations: number;
}

/** Thrown when f is undefined at a point the differences need, at every step tried. */
export class DifferenceDomainError extends Error {
  override readonly name = 'DifferenceDomainError';
}

export function centralDifferences(f: VectorFunction, x: Float64Array, options: DifferenceOptions = {}): Differences {
  const relativeStep = options.relativeStep ?? 1e-3;
  const minScale = options.minScale ?? 0.1;
  const levels = options.levels ?? 3;
  const second = options.second ?? true;
  const d = x.length;
  let evaluations = 0;
  const at = (point: Float64Array): Float64Array => {
    evaluations++;
    const v = f(point);
    if (!v) throw new DifferenceDomainError('function undefined at a difference point');
    return v;
  };
  const value = at(Float64Array.from(x));
  const K = value.length;
  const base = Float64Array.from(x, (xi) => relativeStep * Math.max(Math.abs(xi), minScale));

  // Shrink the step until f is defined at every point the differences need.
  for (let attempt = 0; ; attempt++) {
    try {
      const estimates = [] as { gradient: Float64Array[]; hessian: Float64Array[][] }[];
      for (let level = 0; level < levels; level++) {
        const h = base.map((b) => b / 2 ** level);
        estimates.push(differencesAt(at, x, h, value, second));
      }
      return { value, ...extrapolate(estimates, d, K, second), evaluations };
    } catch (err) {
      if (!(err instanceof DifferenceDomainError) || attempt >= 3) throw err;
      for (let i = 0; i < d; i++) base[i] = base[i]! / 8;
    }
  }
}

function shifted(x: Float64Array, i: number, hi: number, j = -1, hj = 0): Float64Array {
  const y = Float64Array.from(x);
  y[i] = y[i]! + hi;
  if (j >= 0) y[j] = y[j]! + hj;
  return y;
}

function differencesAt(
  at: (p: Float64Array) => Float64Array,
  x: Float64Array,
  h: Float64Array,
  f0: Float64Array,
  second: boolean,
): { gradient: Float64Array[]; hessian: Float64Array[][] } {
  const d = x.length;
  const K = f0.length;
  const gradient: Float64Array[] = [];
  const hessian: Float64Array[][] = second ? Array.from({ length: d }, () => new Array<Float64Array>(d)) : [];
  for (let i = 0; i < d; i++) {
    const hi = h[i]!;
    const plus = at(shifted(x, i, hi));
    const minus = at(shifted(x, i, -hi));
    const g = new Float64Array(K);
    const hii = new Float64Array(K);
    for (let k = 0; k < K; k++) {
      g[k] = (plus[k]! - minus[k]!) / (2 * hi);
      hii[k] = (plus[k]! - 2 * f0[k]! + minus[k]!) / (hi * hi);
    }
    gradient.push(g);
    if (second) hessian[i]![i] = hii;
  }
  if (second) {
    for (let i = 0; i < d; i++)
      for (let j = 0; j < i; j++) {
        const hi = h[i]!;
        const hj = h[j]!;
        const pp = at(shifted(x, i, hi, j, hj));
        const pm = at(shifted(x, i, hi, j, -hj));
        const mp = at(shifted(x, i, -hi, j, hj));
        const mm = at(shifted(x, i, -hi, j, -hj));
        const hij = new Float64Array(K);
        for (let k = 0; k < K; k++) hij[k] = (pp[k]! - pm[k]! - mp[k]! + mm[k]!) / (4 * hi * hj);
        hessian[i]![j] = hij;
        hessian[j]![i] = hij;
      }
  }
  return { gradient, hessian };
}

/**
 * Richardson's extrapolation over step halvings: central differences have
 * error c2 h^2 + c4 h^4 + ..., and each round cancels the leading term.
 */
function extrapolate(
  estimates: { gradient: Float64Array[]; hessian: Float64Array[][] }[],
  d: number,
  K: number,
  second: boolean,
): { gradient: Float64Array[]; hessian: Float64Array[][] } {
  const combine = (values: Float64Array[]): Float64Array => {
    let row: Float64Array[] = values;
    for (let m = 1; row.length > 1; m++) {
      const factor = 4 ** m;
      const next: Float64Array[] = [];
      for (let l = 0; l + 1 < row.length; l++) {
        const coarse = row[l]!;
        const fine = row[l + 1]!;
        const out = new Float64Array(K);
        for (let k = 0; k < K; k++) out[k] = (factor * fine[k]! - coarse[k]!) / (factor - 1);
        next.push(out);
      }
      row = next;
    }
    return row[0]!;
  };
  const gradient = Array.from({ length: d }, (_, i) => combine(estimates.map((e) => e.gradient[i]!)));
  const hessian: Float64Array[][] = second
    ? Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => combine(estimates.map((e) => e.hessian[i]![j]!))))
    : [];
  return { gradient, hessian };
}
