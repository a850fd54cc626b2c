import { GlmmInputError, type ModelMatrices } from '@glmm/core';
import type { DataTable } from '@glmm/formula';

/** The rows a model was fitted to, without the response: what simulate() and refit() need. */
export type TrainingDesign = Omit<ModelMatrices, 'y'>;

/** The training rows a model holds: the design, the response when known, and the source columns (for saving the design). */
export interface TrainingData {
  readonly design: TrainingDesign;
  readonly response: Float64Array | null;
  /** The table the design was built from (read lazily when the model is saved); null when rebuilt from a file. */
  readonly source: DataTable | null;
}

/** The model matrices of the design with a response (checked for length, and finite). */
export function withResponse(design: TrainingDesign, y: ArrayLike<number>): ModelMatrices {
  if (y.length !== design.n)
    throw new GlmmInputError(`the new response has ${y.length} values, the model was fitted to ${design.n} rows; give one value per row used`);
  const values = Float64Array.from(y);
  for (let i = 0; i < values.length; i++)
    if (!Number.isFinite(values[i]!)) throw new GlmmInputError(`the new response has a non-finite value (${values[i]}) at position ${i + 1}; every value must be a finite number`);
  return { ...design, y: values };
}
