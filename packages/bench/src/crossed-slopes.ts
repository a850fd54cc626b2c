import { join } from 'node:path';
import { writeCsvOnce } from './generate.js';
import { Xoshiro128 } from './prng.js';

/**
 * The data-generating model of the crossed random-slopes case, the design
 * of a typical subjects-by-items experiment:
 * y ~ x + (1 + x | s) + (1 + x | it), correlated intercepts and slopes.
 * The binomial variant draws y ~ Bernoulli(logistic(eta)) from the same eta.
 */
export const CROSSED_SLOPES_TRUTH = {
  intercept: 1,
  x: 0.5,
  subject: { sd: [1, 0.7] as const, corr: 0.3 },
  item: { sd: [0.8, 0.5] as const, corr: -0.3 },
  residualSd: 1,
} as const;

export interface CrossedSlopesSpec {
  readonly n: number;
  readonly subjects: number;
  readonly items: number;
  readonly seed: number;
  /** gaussian (default): eta plus N(0, 1) noise; binomial: Bernoulli(logistic(eta)). */
  readonly family?: 'gaussian' | 'binomial';
}

export interface CrossedSlopesData {
  readonly y: Float64Array;
  readonly x: Float64Array;
  readonly s: Int32Array;
  readonly it: Int32Array;
}

function round6(v: number): number {
  const r = Number(v.toFixed(6));
  return r === 0 ? 0 : r;
}

/** Draws (intercept, slope) pairs with the given SDs and correlation, one per level. */
function correlatedPairs(rng: Xoshiro128, levels: number, sd: readonly [number, number], corr: number): Float64Array {
  const out = new Float64Array(2 * levels);
  for (let j = 0; j < levels; j++) {
    const a = rng.nextNormal();
    const b = rng.nextNormal();
    out[2 * j] = sd[0] * a;
    out[2 * j + 1] = sd[1] * (corr * a + Math.sqrt(1 - corr * corr) * b);
  }
  return out;
}

/**
 * One data set: each row meets a subject and an item drawn uniformly (so
 * most, not all, subject-item pairs occur), x standard normal.  The draws
 * happen in a fixed order, so a seed fixes the data.
 */
export function generateCrossedSlopes(spec: CrossedSlopesSpec): CrossedSlopesData {
  const { n, subjects, items, seed } = spec;
  if (!Number.isInteger(n) || n < 2) throw new Error(`n must be an integer >= 2, got ${n}`);
  if (!(subjects >= 2 && items >= 2)) throw new Error('need at least 2 subjects and 2 items');
  const rng = new Xoshiro128(seed);
  const t = CROSSED_SLOPES_TRUTH;
  const us = correlatedPairs(rng, subjects, t.subject.sd, t.subject.corr);
  const ui = correlatedPairs(rng, items, t.item.sd, t.item.corr);
  const y = new Float64Array(n);
  const x = new Float64Array(n);
  const s = new Int32Array(n);
  const it = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const a = Math.floor(rng.nextDouble() * subjects);
    const b = Math.floor(rng.nextDouble() * items);
    const xr = round6(rng.nextNormal());
    const eta = t.intercept + t.x * xr + us[2 * a]! + us[2 * a + 1]! * xr + ui[2 * b]! + ui[2 * b + 1]! * xr;
    s[r] = a;
    it[r] = b;
    x[r] = xr;
    y[r] = spec.family === 'binomial' ? (rng.nextDouble() < 1 / (1 + Math.exp(-eta)) ? 1 : 0) : round6(eta + t.residualSd * rng.nextNormal());
  }
  return { y, x, s, it };
}

export function crossedSlopesFileName(spec: CrossedSlopesSpec): string {
  const family = spec.family === 'binomial' ? '-binomial' : '';
  return `slopes${family}-n${spec.n}-s${spec.subjects}-i${spec.items}-seed${spec.seed}.csv`;
}

/** Writes the data set as CSV (y,x,s,it; labels s1.., i1..) into `dir` unless it is there already. */
export function ensureCrossedSlopesCsv(spec: CrossedSlopesSpec, dir: string): { path: string; generated: boolean } {
  return writeCsvOnce(join(dir, crossedSlopesFileName(spec)), (write) => {
    const d = generateCrossedSlopes(spec);
    write('y,x,s,it\n');
    const lines: string[] = [];
    for (let r = 0; r < spec.n; r++) {
      lines.push(`${d.y[r]},${d.x[r]},s${d.s[r]! + 1},i${d.it[r]! + 1}`);
      if (lines.length === 20_000 || r === spec.n - 1) {
        write(lines.join('\n') + '\n');
        lines.length = 0;
      }
    }
  });
}
