import type { RandomSource } from '@glmm/core';

/**
 * A lower-triangular C with C C' = S for a symmetric positive semidefinite
 * k x k S (column-major): Cholesky, with a column set to 0 where its pivot
 * is 0 up to rounding (a variance estimated at 0, a correlation at +-1),
 * so that singular fits simulate too.
 */
export function semidefiniteCholesky(S: Float64Array, k: number): Float64Array {
  const C = new Float64Array(k * k);
  let scale = 0;
  for (let a = 0; a < k; a++) scale = Math.max(scale, Math.abs(S[a * k + a]!));
  const tiny = 1e-12 * scale;
  for (let j = 0; j < k; j++) {
    let d = S[j * k + j]!;
    for (let m = 0; m < j; m++) d -= C[m * k + j]! * C[m * k + j]!;
    if (!(d > tiny)) continue;
    const cjj = Math.sqrt(d);
    C[j * k + j] = cjj;
    for (let i = j + 1; i < k; i++) {
      let s = S[j * k + i]!;
      for (let m = 0; m < j; m++) s -= C[m * k + i]! * C[m * k + j]!;
      C[j * k + i] = s / cjj;
    }
  }
  return C;
}

/** New random effects b_l = C z_l for `levels` levels (level-major, level * k + column), z standard normal. */
export function drawEffects(C: Float64Array, k: number, levels: number, random: RandomSource, out: Float64Array = new Float64Array(levels * k)): Float64Array {
  const z = new Float64Array(k);
  for (let l = 0; l < levels; l++) {
    for (let c = 0; c < k; c++) z[c] = random.normal();
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let c = 0; c <= r; c++) s += C[c * k + r]! * z[c]!;
      out[l * k + r] = s;
    }
  }
  return out;
}
