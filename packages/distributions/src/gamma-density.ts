import { dpoisRawLog } from './poisson-density.js';

/**
 * R's dgamma(x, shape, scale = scale, log = TRUE).  The Gamma density is a
 * Poisson density in disguise, x^(a-1) e^(-x/s) / (Gamma(a) s^a) =
 * dpois(a - 1; x/s) / s, which Loader's algorithm evaluates without the
 * cancellation of lgamma(a) against a log(x/s) when the shape a is large
 * (a small dispersion).
 */
export function dgammaLog(x: number, shape: number, scale: number): number {
  if (Number.isNaN(x) || Number.isNaN(shape) || Number.isNaN(scale)) return NaN;
  if (shape < 0 || scale <= 0) return NaN;
  if (x < 0) return -Infinity;
  if (shape === 0) return x === 0 ? Infinity : -Infinity;
  if (x === 0) {
    if (shape < 1) return Infinity;
    if (shape > 1) return -Infinity;
    return -Math.log(scale);
  }
  if (shape < 1) {
    const pr = dpoisRawLog(shape, x / scale);
    const ratio = shape / x;
    return pr + (Number.isFinite(ratio) ? Math.log(ratio) : Math.log(shape) - Math.log(x));
  }
  return dpoisRawLog(shape - 1, x / scale) - Math.log(scale);
}
