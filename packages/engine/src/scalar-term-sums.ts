import type { RandomEffectsStructure } from './random-effects.js';
import {
  groupStride,
  scalarTermRowsGeneric,
  scalarTermRowsUnrolled,
  UNROLLED_MAX_P,
  type WeightSummary,
} from './scalar-term-rows.js';

/**
 * Every cross-product of [z X y] a model with one scalar random-effects term
 * needs, from one pass over the rows (see scalar-term-rows.ts): what a
 * closed-form solver works from without the block layout of MixedSystem.
 */
export interface ScalarTermSums extends WeightSummary {
  /** Levels of the term. */
  readonly levels: number;
  /** Columns of X. */
  readonly p: number;
  /** Per level g, at g * stride: w z^2, then w z x_a (p of them), then w z (y - offset). */
  readonly perLevel: Float64Array;
  readonly stride: number;
  /**
   * [X y]'W[X y], y taken as y - offset: column-major (p + 1) x (p + 1),
   * lower triangle, the response last.
   */
  readonly xx: Float64Array;
}

/**
 * The sums of a structure whose only term is scalar (k = 1), with prior
 * weights w and the response y - offset.
 */
export function scalarTermSums(re: RandomEffectsStructure, w: Float64Array, y: Float64Array, offset: Float64Array): ScalarTermSums {
  if (re.nTerms !== 1 || re.k[0] !== 1) throw new Error('scalarTermSums needs exactly one scalar random-effects term');
  const model = re.model;
  const p = model.p;
  const term = re.terms[0]!;
  const levels = re.levels[0]!;
  const stride = groupStride(p);
  const perLevel = new Float64Array(levels * stride);
  const xx = new Float64Array((p + 1) * (p + 1));
  const rows = { n: model.n, idx: term.index, w, z: term.columns[0]!, X: model.X, p, response: { y, offset } };
  const weights = p <= UNROLLED_MAX_P ? scalarTermRowsUnrolled(rows, perLevel, xx) : scalarTermRowsGeneric(rows, perLevel, xx);
  return { levels, p, perLevel, stride, xx, logDetW: weights.logDetW, unitWeights: weights.unitWeights };
}
