import { formatRNumber } from './cell.js';
import type { FactorCodes } from './factor.js';

/**
 * Below this magnitude distinct integers print as distinct level texts (R
 * prints 15 significant digits), so numeric order of the values is the level
 * order and no two values share a level.
 */
const EXACT_LEVEL_LIMIT = 1e15;

/** Largest value range coded through a lookup table (entries, 4 bytes each). */
const MAX_TABLE = 1 << 25;

/**
 * Factor coding of a numeric column whose used values are integers in a
 * moderate range (group ids, years, codes): a lookup table indexed by
 * value - min gives the levels in numeric order directly, and only the
 * distinct values are formatted. Undefined when the values do not qualify,
 * for the general path to handle.
 */
export function integerFactor(col: Float64Array, rows: Int32Array): FactorCodes | undefined {
  const n = rows.length;
  if (n === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = col[rows[i] as number] as number;
    // Also false for NaN.
    if (v !== Math.trunc(v)) return undefined;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min > -EXACT_LEVEL_LIMIT && max < EXACT_LEVEL_LIMIT)) return undefined;
  const span = max - min + 1;
  if (span > Math.min(Math.max(4 * n, 1 << 16), MAX_TABLE)) return undefined;
  // slot[v - min]: 1 when v occurs, then its level number. `| 0` also maps -0 to slot 0.
  const slot = new Int32Array(span);
  for (let i = 0; i < n; i++) slot[((col[rows[i] as number] as number) - min) | 0] = 1;
  const levels: string[] = [];
  for (let k = 0; k < span; k++) {
    if (slot[k] !== 0) {
      slot[k] = levels.length;
      levels.push(formatRNumber(min + k));
    }
  }
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = slot[((col[rows[i] as number] as number) - min) | 0] as number;
  return { levels, codes };
}
