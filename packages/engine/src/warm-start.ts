import { GlmmInputError, type FitStart } from '@glmm/core';

/**
 * One part of a caller's warm start (FitOptions.start), checked against the
 * length the model needs and moved onto its lower bounds; null when the
 * caller gave none, so the estimator uses its own start.
 */
export function warmStartPart(
  start: FitStart | undefined,
  part: 'theta' | 'beta',
  length: number,
  lower: Float64Array | null = null,
): Float64Array | null {
  const given = start?.[part];
  if (given === undefined) return null;
  if (given.length !== length)
    throw new GlmmInputError(`start.${part} has ${given.length} values; this model has ${length} ${part === 'theta' ? 'covariance parameters' : 'fixed effects'}`);
  const out = Float64Array.from(given);
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(out[i]!)) throw new GlmmInputError(`start.${part}[${i}] is not a finite number`);
    if (lower && out[i]! < lower[i]!) out[i] = lower[i]!;
  }
  return out;
}
