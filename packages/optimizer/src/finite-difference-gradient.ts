import type { Box } from './box.js';

/**
 * Relative step of the finite differences. Central differences have
 * truncation error ~h^2 |f'''| and rounding error ~eps |f| / h, balanced near
 * h ~ eps^(1/3) ~ 6e-6; 1e-5 leans slightly towards objectives whose inner
 * solver (PIRLS) adds noise above machine precision.
 */
export const FD_RELATIVE_STEP = 1e-5;
/** Coordinates smaller than this in magnitude use it as their scale, so a parameter at 0 gets a usable step. */
export const FD_MIN_SCALE = 0.1;

/**
 * Finite-difference gradient of f at x (with f(x) = fx), writing into `out`.
 * Central differences inside the box; second-order one-sided differences
 * where a bound (or an infinite objective) is within reach of the step.
 * A coordinate whose difference cannot be formed at all gets a 0 derivative.
 */
export function finiteDifferenceGradient(
  f: (x: Float64Array) => number,
  x: Float64Array,
  fx: number,
  box: Box,
  out: Float64Array = new Float64Array(x.length),
): Float64Array {
  const work = Float64Array.from(x);
  const at = (j: number, value: number): number => {
    work[j] = value;
    const v = f(work);
    work[j] = x[j]!;
    return v;
  };
  for (let j = 0; j < x.length; j++) {
    const xj = x[j]!;
    const roomUp = box.upper[j]! - xj;
    const roomDown = xj - box.lower[j]!;
    let h = FD_RELATIVE_STEP * Math.max(Math.abs(xj), FD_MIN_SCALE);
    // Make x + h exactly representable so the divisor is the true step.
    h = xj + h - xj;
    let g = NaN;
    let fPlus = NaN;
    let fMinus = NaN;
    if (roomUp >= h && roomDown >= h) {
      fPlus = at(j, xj + h);
      fMinus = at(j, xj - h);
      if (fPlus < Infinity && fMinus < Infinity) g = (fPlus - fMinus) / (2 * h);
    }
    if (Number.isNaN(g) && roomUp >= 2 * h && !(fPlus === Infinity)) {
      const f1 = Number.isNaN(fPlus) ? at(j, xj + h) : fPlus;
      const f2 = f1 < Infinity ? at(j, xj + 2 * h) : Infinity;
      if (f2 < Infinity) g = (-3 * fx + 4 * f1 - f2) / (2 * h);
    }
    if (Number.isNaN(g) && roomDown >= 2 * h && !(fMinus === Infinity)) {
      const f1 = Number.isNaN(fMinus) ? at(j, xj - h) : fMinus;
      const f2 = f1 < Infinity ? at(j, xj - 2 * h) : Infinity;
      if (f2 < Infinity) g = (3 * fx - 4 * f1 + f2) / (2 * h);
    }
    if (Number.isNaN(g)) {
      // The box is narrower than 2h here: a first-order difference on the wider side.
      const room = Math.max(roomUp, roomDown);
      if (room > 0) {
        const s = roomUp >= roomDown ? 1 : -1;
        const hh = Math.min(h, room);
        const f1 = at(j, xj + s * hh);
        if (f1 < Infinity) g = (s * (f1 - fx)) / hh;
      }
    }
    out[j] = Number.isNaN(g) ? 0 : g;
  }
  return out;
}
