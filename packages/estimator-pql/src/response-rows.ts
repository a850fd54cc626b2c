import type { ModelMatrices } from '@glmm/core';
import type { WorkingResponse } from './working-response.js';

/** Per-row results on the response scale, conditional on the random effects. */
export interface ResponseRows {
  readonly residResponse: Float64Array;
  readonly residDeviance: Float64Array;
  readonly residPearson: Float64Array;
  /** Sum of the family's deviance residuals. */
  readonly conditionalDeviance: number;
  /** Rows whose mean sits numerically at the edge of the family's range (dmu/deta ~ 0). */
  readonly atBoundary: number;
}

/**
 * Residuals at the final linear predictor, whose mu, dmu/deta and V(mu) the
 * response holds: response y - mu, deviance sign(y - mu) sqrt(d_i), Pearson
 * (y - mu) sqrt(w_i / V(mu)), as R's residuals() on a glmer fit.
 */
export function responseRows(model: ModelMatrices, response: WorkingResponse): ResponseRows {
  const n = model.n;
  const { mu, muEta, variance } = response;
  const residDeviance = response.family.devResiduals(model.y, mu, model.weights, new Float64Array(n));
  const residResponse = new Float64Array(n);
  const residPearson = new Float64Array(n);
  let conditionalDeviance = 0;
  let atBoundary = 0;
  for (let r = 0; r < n; r++) {
    const e = model.y[r]! - mu[r]!;
    const d = residDeviance[r]!;
    conditionalDeviance += d;
    residResponse[r] = e;
    residDeviance[r] = (e >= 0 ? 1 : -1) * Math.sqrt(Math.max(d, 0));
    residPearson[r] = (e * Math.sqrt(model.weights[r]!)) / Math.sqrt(variance[r]!);
    if (Math.abs(muEta[r]!) < 1e-10 * Math.max(1, Math.abs(mu[r]!))) atBoundary++;
  }
  return { residResponse, residDeviance, residPearson, conditionalDeviance, atBoundary };
}
