import { FitAbortedError, GlmmInputError, type ProgressCallback } from '@glmm/core';
import { checkLevel } from './coefficient-table.js';
import { normalQuantile } from './distributions.js';

export interface BootstrapOptions {
  readonly nsim: number;
  readonly seed: number;
  /** Level of the percentile intervals; default 0.95. */
  readonly level?: number;
  /** Called after each replicate (stage "iteration", iteration = replicates done). */
  readonly onProgress?: ProgressCallback;
  /** Stops the bootstrap before the next replicate with FitAbortedError. */
  readonly signal?: AbortSignal;
}

/** What the bootstrap needs of a model: its parameters, and simulate/refit. */
export interface BootstrapModel {
  /** Names of the parameters: the fixed effects, then the covariance parameters (lme4's names). */
  readonly names: readonly string[];
  /** The fitted values of the parameters. */
  readonly estimates: Float64Array;
  /** A response simulated from the fitted model with this seed. */
  simulate(seed: number): Float64Array;
  /** The parameters of the model refitted to a response (warm-started from the fit); throws when the refit fails. */
  refit(response: Float64Array): Float64Array;
}

export interface BootstrapRow {
  readonly name: string;
  readonly estimate: number;
  /** Mean and SD of the replicates. */
  readonly mean: number;
  readonly stdError: number;
  readonly lower: number;
  readonly upper: number;
}

export interface BootstrapResult {
  readonly method: 'parametric bootstrap, percentile intervals';
  readonly level: number;
  readonly nsim: number;
  readonly seed: number;
  /** Replicates whose refit failed (left out of the intervals). */
  readonly failures: number;
  readonly rows: BootstrapRow[];
  /** Replicates as rows of the parameters' values (nsim - failures of them). */
  readonly replicates: Float64Array[];
  readonly notes: string[];
}

/**
 * The parametric bootstrap (lme4's bootMer with confint type "perc"):
 * nsim responses simulated from the fitted model, the model refitted to
 * each, and percentile intervals of the parameters from the replicates
 * (boot's norm.inter interpolation, as confint.merMod).  Replicate i uses
 * seed replicateSeed(seed, i), so results do not depend on how the work is
 * split.
 */
export function parametricBootstrap(model: BootstrapModel, options: BootstrapOptions): BootstrapResult {
  const { nsim, seed } = options;
  const level = options.level ?? 0.95;
  checkLevel(level);
  if (!Number.isInteger(nsim) || nsim < 2) throw new GlmmInputError(`the bootstrap needs nsim >= 2 replicates, got ${nsim}`);
  if (!Number.isSafeInteger(seed)) throw new GlmmInputError(`seed must be a whole number, got ${seed}`);
  const k = model.names.length;
  const replicates: Float64Array[] = [];
  let failures = 0;
  let firstFailure = '';
  for (let i = 0; i < nsim; i++) {
    if (options.signal?.aborted) throw new FitAbortedError(options.signal.reason);
    const y = model.simulate(replicateSeed(seed, i));
    try {
      const params = model.refit(y);
      if (params.length !== k || params.some((v) => !Number.isFinite(v))) throw new Error('non-finite estimates');
      replicates.push(params);
    } catch (err) {
      if (err instanceof FitAbortedError) throw err;
      failures++;
      if (!firstFailure) firstFailure = err instanceof Error ? err.message : String(err);
    }
    options.onProgress?.({ stage: 'iteration', iteration: i + 1, message: `bootstrap replicate ${i + 1} of ${nsim}` });
  }
  if (replicates.length < 2) throw new GlmmInputError(`the bootstrap refits failed for ${failures} of ${nsim} replicates (first: ${firstFailure})`);
  const notes: string[] = [];
  if (failures > 0) notes.push(`${failures} of ${nsim} refits failed and were left out (first: ${firstFailure})`);
  const alpha = (1 - level) / 2;
  const R = replicates.length;
  if ((R + 1) * alpha < 1) notes.push(`with ${R} replicates the ${level} interval's ends are the extreme replicates; use a larger nsim`);
  const rows = model.names.map((name, j) => {
    const values = Float64Array.from(replicates, (r) => r[j]!).sort();
    let mean = 0;
    for (const v of values) mean += v;
    mean /= R;
    let ss = 0;
    for (const v of values) ss += (v - mean) ** 2;
    return {
      name,
      estimate: model.estimates[j]!,
      mean,
      stdError: Math.sqrt(ss / (R - 1)),
      lower: normInter(values, alpha),
      upper: normInter(values, 1 - alpha),
    };
  });
  return { method: 'parametric bootstrap, percentile intervals', level, nsim, seed, failures, rows, replicates, notes };
}

/**
 * boot's norm.inter: the (R + 1) alpha-th order statistic, interpolated on
 * the normal quantile scale between neighbours; the extremes beyond them.
 */
export function normInter(sorted: Float64Array, alpha: number): number {
  const R = sorted.length;
  const rk = (R + 1) * alpha;
  const k = Math.trunc(rk);
  if (k === rk && k >= 1 && k <= R) return sorted[k - 1]!;
  if (k <= 0) return sorted[0]!;
  if (k >= R) return sorted[R - 1]!;
  const z = normalQuantile(alpha);
  const zk = normalQuantile(k / (R + 1));
  const zk1 = normalQuantile((k + 1) / (R + 1));
  const tk = sorted[k - 1]!;
  const tk1 = sorted[k]!;
  return tk + ((z - zk) / (zk1 - zk)) * (tk1 - tk);
}

/** The seed of replicate i: a SplitMix-style mix of (seed, i) into 32 bits. */
export function replicateSeed(seed: number, i: number): number {
  let h = (Math.floor(seed / 4294967296) ^ seed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
