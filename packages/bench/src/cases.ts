import { join } from 'node:path';
import type { CrossedSlopesSpec } from './crossed-slopes.js';
import type { SyntheticSpec } from './generate.js';
import { DATA_DIR } from './paths.js';

/** One model fitted to one CSV, the same way on both sides. */
export interface FitCase {
  readonly kind: 'fit';
  readonly name: string;
  readonly description: string;
  readonly formula: string;
  /** gaussian, poisson or binomial. */
  readonly family: string;
  /** "reml" / "ml" for gaussian (lmer's REML flag), "laplace" otherwise (glmer's default nAGQ = 1). */
  readonly method: string;
  /** Numeric-looking columns that are factors (our `categorical`, R's factor()). */
  readonly categorical: readonly string[];
  /** A shipped CSV, or a synthetic data set generated into the cache. */
  readonly source: { readonly csv: string } | { readonly synthetic: SyntheticSpec } | { readonly crossedSlopes: CrossedSlopesSpec };
  /** Large cases run once unless --runs is given explicitly. */
  readonly large: boolean;
}

/** A fresh process that loads the library and fits sleepstudy, timed from outside. */
export interface ColdStartCase {
  readonly kind: 'coldstart';
  readonly name: 'coldstart';
  readonly description: string;
}

export type BenchCase = FitCase | ColdStartCase;

const SYNTHETIC_FORMULA = 'y ~ x1 + x2 + (1 | g)';

function synthetic(name: string, family: 'gaussian' | 'poisson' | 'binomial', n: number, seed: number): FitCase {
  const label = family === 'gaussian' ? 'LMM (REML)' : family === 'poisson' ? 'Poisson GLMM (Laplace)' : 'Bernoulli GLMM (Laplace)';
  return {
    kind: 'fit',
    name,
    description: `synthetic ${label}, n = ${n}, ${n / 100} groups: ${SYNTHETIC_FORMULA}`,
    formula: SYNTHETIC_FORMULA,
    family,
    method: family === 'gaussian' ? 'reml' : 'laplace',
    categorical: [],
    source: { synthetic: { family, n, seed } },
    large: n >= 1_000_000,
  };
}

export const BENCH_CASES: readonly BenchCase[] = [
  synthetic('lmm-1e5', 'gaussian', 100_000, 101),
  synthetic('lmm-1e6', 'gaussian', 1_000_000, 102),
  synthetic('poisson-1e5', 'poisson', 100_000, 201),
  synthetic('poisson-1e6', 'poisson', 1_000_000, 202),
  synthetic('binomial-1e5', 'binomial', 100_000, 301),
  synthetic('binomial-1e6', 'binomial', 1_000_000, 302),
  {
    kind: 'fit',
    name: 'insteval',
    description: 'lme4::InstEval (73421 ratings, crossed s x d + dept:service), gaussian ML',
    formula: 'y ~ service + (1 | s) + (1 | d) + (1 | dept:service)',
    family: 'gaussian',
    method: 'ml',
    categorical: ['service', 's', 'd', 'dept'],
    source: { csv: join(DATA_DIR, 'insteval.csv') },
    large: false,
  },
  {
    kind: 'fit',
    name: 'verbagg',
    description: 'lme4::VerbAgg (7584 responses, crossed id x item), Bernoulli GLMM Laplace',
    formula: 'r2 ~ Anger + Gender + btype + situ + (1 | id) + (1 | item)',
    family: 'binomial',
    method: 'laplace',
    categorical: ['id'],
    source: { csv: join(DATA_DIR, 'verbagg.csv') },
    large: false,
  },
  {
    kind: 'fit',
    name: 'slopes',
    description: 'synthetic subjects x items design, 40000 rows, 200 subjects, 80 items, correlated random slopes (REML)',
    formula: 'y ~ x + (1 + x | s) + (1 + x | it)',
    family: 'gaussian',
    method: 'reml',
    categorical: [],
    source: { crossedSlopes: { n: 40_000, subjects: 200, items: 80, seed: 401 } },
    large: false,
  },
  {
    kind: 'coldstart',
    name: 'coldstart',
    description: 'new process: load the library, read sleepstudy.csv, fit Reaction ~ Days + (Days | Subject) (REML), print',
  },
];

export const CASE_NAMES: readonly string[] = BENCH_CASES.map((c) => c.name);
