import { join } from 'node:path';
import type { CrossedSlopesSpec } from './crossed-slopes.js';
import type { SyntheticFamily, SyntheticLink, SyntheticSpec } from './generate.js';
import { DATA_DIR } from './paths.js';

/** One model fitted to one CSV, the same way on both sides. */
export interface FitCase {
  readonly kind: 'fit';
  readonly name: string;
  readonly description: string;
  readonly formula: string;
  /** gaussian, poisson, binomial or gamma. */
  readonly family: string;
  /** A link other than the family's canonical one (R: binomial(link = "probit"), Gamma(link = "log")). */
  readonly link?: string;
  /** "reml" / "ml" for gaussian (lmer's REML flag), "laplace" (glmer's default nAGQ = 1) or "agq" otherwise. */
  readonly method: string;
  /** Quadrature points for "agq" (glmer's nAGQ). */
  readonly nAGQ?: number;
  /** Numeric-looking columns that are factors (our `categorical`, R's factor()). */
  readonly categorical: readonly string[];
  /** A shipped CSV, or a synthetic data set generated into the cache. */
  readonly source: { readonly csv: string } | { readonly synthetic: SyntheticSpec } | { readonly crossedSlopes: CrossedSlopesSpec };
  /** Large cases (1e6 rows and more) run lme4 once unless --runs is given explicitly. */
  readonly large: boolean;
  /** Cases of 1e7 rows: our side runs 3 fits instead of 5 unless --runs is given. */
  readonly huge?: boolean;
}

/** A fresh process that loads the library and fits sleepstudy, timed from outside. */
export interface ColdStartCase {
  readonly kind: 'coldstart';
  readonly name: 'coldstart';
  readonly description: string;
}

export type BenchCase = FitCase | ColdStartCase;

const SYNTHETIC_FORMULA = 'y ~ x1 + x2 + (1 | g)';

const LABELS: Readonly<Record<SyntheticFamily, string>> = {
  gaussian: 'LMM (REML)',
  poisson: 'Poisson GLMM (Laplace)',
  binomial: 'Bernoulli GLMM (Laplace)',
  gamma: 'Gamma GLMM (Laplace)',
};

function synthetic(
  name: string,
  family: SyntheticFamily,
  n: number,
  seed: number,
  extra: { link?: SyntheticLink; groups?: number; nAGQ?: number } = {},
): FitCase {
  const groups = extra.groups ?? n / 100;
  const label = extra.nAGQ ? `Bernoulli GLMM (AGQ, ${extra.nAGQ} points)` : LABELS[family];
  return {
    kind: 'fit',
    name,
    description: `synthetic ${label}${extra.link ? `, ${extra.link} link` : ''}, n = ${n}, ${groups} groups: ${SYNTHETIC_FORMULA}`,
    formula: SYNTHETIC_FORMULA,
    family,
    ...(extra.link ? { link: extra.link } : {}),
    method: family === 'gaussian' ? 'reml' : extra.nAGQ ? 'agq' : 'laplace',
    ...(extra.nAGQ ? { nAGQ: extra.nAGQ } : {}),
    categorical: [],
    source: { synthetic: { family, n, seed, ...(extra.link ? { link: extra.link } : {}), ...(extra.groups ? { groups: extra.groups } : {}) } },
    large: n >= 1_000_000,
    ...(n >= 10_000_000 ? { huge: true } : {}),
  };
}

export const BENCH_CASES: readonly BenchCase[] = [
  synthetic('lmm-1e5', 'gaussian', 100_000, 101),
  synthetic('lmm-1e6', 'gaussian', 1_000_000, 102),
  synthetic('poisson-1e5', 'poisson', 100_000, 201),
  synthetic('poisson-1e6', 'poisson', 1_000_000, 202),
  synthetic('binomial-1e5', 'binomial', 100_000, 301),
  synthetic('binomial-1e6', 'binomial', 1_000_000, 302),
  synthetic('gamma-1e5', 'gamma', 100_000, 501, { link: 'log' }),
  synthetic('probit-1e5', 'binomial', 100_000, 601, { link: 'probit' }),
  synthetic('agq25-1e5', 'binomial', 100_000, 701, { groups: 10_000, nAGQ: 25 }),
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
    kind: 'fit',
    name: 'glmm-crossed-slopes',
    description: 'synthetic subjects x items design, 40000 binary responses, 200 subjects, 80 items, correlated random slopes (Laplace)',
    formula: 'y ~ x + (1 + x | s) + (1 + x | it)',
    family: 'binomial',
    method: 'laplace',
    categorical: [],
    source: { crossedSlopes: { n: 40_000, subjects: 200, items: 80, seed: 402, family: 'binomial' } },
    large: false,
  },
  // Written into .data/ by the bench (about 350 MB each), never committed.
  synthetic('lmm-1e7', 'gaussian', 10_000_000, 103),
  synthetic('poisson-1e7', 'poisson', 10_000_000, 203),
  {
    kind: 'coldstart',
    name: 'coldstart',
    description: 'new process: load the library, read sleepstudy.csv, fit Reaction ~ Days + (Days | Subject) (REML), print',
  },
];

export const CASE_NAMES: readonly string[] = BENCH_CASES.map((c) => c.name);
