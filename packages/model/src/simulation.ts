import { GlmmInputError, type Family, type Link } from '@glmm/core';
import { Xoshiro128 } from '@glmm/distributions';
import type { ModelEstimates } from './estimates.js';
import { addTerm, fixedPart } from './linear-predictor.js';
import { drawEffects, semidefiniteCholesky } from './random-effects-draw.js';
import type { TrainingDesign } from './training-data.js';

export interface SimulateOptions {
  /** Number of simulated responses. Default 1. */
  readonly nsim?: number;
  /**
   * Seed of the generator (a safe integer).  Without one a seed is picked at
   * random and returned, so that the draws can be repeated.
   */
  readonly seed?: number;
  /**
   * true: responses given the fitted random effects (the BLUPs; lme4's
   * use.u = TRUE); false (default): new random effects for every level from
   * N(0, Sigma), as lme4's simulate() by default.
   */
  readonly conditional?: boolean;
}

export interface Simulation {
  readonly seed: number;
  readonly nsim: number;
  readonly conditional: boolean;
  /** Input rows (0-based) of the simulated rows: the rows the model was fitted to. */
  readonly rows: Int32Array;
  /** Prior weights of the rows (binomial: the trials), to turn proportions into counts. */
  readonly weights: Float64Array;
  /** nsim responses on the model's scale (binomial: proportions of the trials). */
  readonly responses: readonly Float64Array[];
}

/** Largest number of simulations in one call (each is an n-long array). */
const MAX_NSIM = 1_000_000;

/**
 * Simulated responses at the fitted rows.  The generator is Xoshiro128 (see
 * @glmm/distributions), and the order of the draws is fixed: per
 * simulation, first the random effects term by term, level by level,
 * column by column (unless conditional), then one response per row through
 * the family's simulate(), so a seed gives the same responses everywhere.
 */
export function simulateDesign(design: TrainingDesign, est: ModelEstimates, family: Family, link: Link, options: SimulateOptions = {}): Simulation {
  const nsim = options.nsim ?? 1;
  if (!Number.isInteger(nsim) || nsim < 1 || nsim > MAX_NSIM) throw new GlmmInputError(`nsim must be a whole number from 1 to ${MAX_NSIM}, got ${nsim}`);
  const seed = options.seed ?? Math.floor(Math.random() * 4294967296);
  if (!Number.isSafeInteger(seed)) throw new GlmmInputError(`seed must be a whole number, got ${seed}`);
  if (!family.simulate)
    throw new GlmmInputError(`the ${family.name} family cannot simulate responses (its plugin has no simulate()); simulate and the parametric bootstrap need it`);
  const conditional = options.conditional ?? false;
  const random = new Xoshiro128(seed);
  const n = design.n;
  const eta0 = fixedPart(design.X, n, est.beta, design.offset);
  const factors = est.terms.map((t) => semidefiniteCholesky(t.covarianceMatrix, t.columnNames.length));
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  const responses: Float64Array[] = [];
  for (let s = 0; s < nsim; s++) {
    eta.set(eta0);
    design.terms.forEach((term, t) => {
      const info = est.terms[t]!;
      const b = conditional ? info.modes : drawEffects(factors[t]!, info.columnNames.length, info.levels.length, random);
      addTerm(term, b, eta);
    });
    link.linkinv(eta, mu);
    responses.push(family.simulate(mu, design.weights, est.dispersion, random, new Float64Array(n)));
  }
  return { seed, nsim, conditional, rows: design.usedRows, weights: design.weights, responses };
}
