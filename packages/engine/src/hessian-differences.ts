/** Hessian by forward differences of an exact gradient (d + 1 gradients), symmetrised. */
export function forwardHessian(gradient: (x: Float64Array, out: Float64Array) => void, x: Float64Array): Float64Array {
  const d = x.length;
  const g0 = new Float64Array(d);
  const g1 = new Float64Array(d);
  const y = Float64Array.from(x);
  gradient(x, g0);
  const H = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const h = 1e-3 * Math.max(Math.abs(x[k]!), 0.1);
    y.set(x);
    y[k]! += h;
    gradient(y, g1);
    for (let i = 0; i < d; i++) H[k * d + i] = (g1[i]! - g0[i]!) / h;
  }
  return symmetrize(H, d);
}

/** (H + H') / 2 in place: difference Hessians are only nearly symmetric. */
export function symmetrize(H: Float64Array, d: number): Float64Array {
  for (let i = 0; i < d; i++)
    for (let k = 0; k < i; k++) {
      const v = (H[k * d + i]! + H[i * d + k]!) / 2;
      H[k * d + i] = v;
      H[i * d + k] = v;
    }
  return H;
}
