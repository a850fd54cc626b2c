import { GlmmInputError } from '@glmm/core';
import { chiSquareUpperP } from './distributions.js';

/** What a likelihood-ratio test reads of each fitted model. */
export interface ComparableModel {
  readonly formula: string;
  readonly familyName: string;
  readonly linkName: string;
  /** "REML", "ML", "Laplace", "AGQ". */
  readonly method: string;
  readonly nAGQ: number;
  readonly nobs: number;
  /** Number of estimated parameters (lme4's npar / logLik's df). */
  readonly npar: number;
  /** The log-likelihood of the fit; REML-based for REML fits. */
  readonly logLik: number;
  readonly fixedNames: readonly string[];
  readonly randomTerms: readonly { readonly group: string; readonly columnNames: readonly string[]; readonly correlated: boolean }[];
  /** Response name and, when known, a fingerprint of its values and weights (responseFingerprint). */
  readonly response: { readonly name: string; readonly fingerprint?: string };
  /** The maximised log-likelihood of the same model by ML (needed for REML fits; may throw when the data are not at hand). */
  mlLogLik?(): number;
}

export interface ComparedModel {
  readonly formula: string;
  readonly npar: number;
  readonly logLik: number;
  readonly aic: number;
  readonly bic: number;
}

export interface ModelComparison {
  readonly chiSq: number;
  readonly df: number;
  readonly pValue: number;
  /** The smaller model first, as lme4's anova orders them. */
  readonly models: [ComparedModel, ComparedModel];
  /** Whether REML fits were refitted by ML. */
  readonly refitted: boolean;
  readonly notes: string[];
}

/**
 * The likelihood-ratio test of two nested models, as lme4's anova(m0, m1):
 * chi-square = 2 (logLik1 - logLik0) on the difference in parameters, with
 * AIC and BIC of both.  Linear mixed models fitted by REML are compared on
 * their ML fits (REML likelihoods of different fixed effects are not
 * comparable).  Models of different data, families or approximations, and
 * models that are not nested (by their fixed-effect columns and
 * random-effects terms), are refused.
 */
export function compareModels(a: ComparableModel, b: ComparableModel): ModelComparison {
  if (a.familyName !== b.familyName || a.linkName !== b.linkName)
    throw new GlmmInputError(`the models have different families (${a.familyName}/${a.linkName} and ${b.familyName}/${b.linkName}); a likelihood-ratio test needs the same family and link`);
  if (a.nobs !== b.nobs)
    throw new GlmmInputError(`the models were fitted to different data: ${a.nobs} and ${b.nobs} rows used; refit them to the same rows`);
  if (a.response.name !== b.response.name)
    throw new GlmmInputError(`the models have different responses ("${a.response.name}" and "${b.response.name}"); a likelihood-ratio test needs the same response`);
  if (a.response.fingerprint !== undefined && b.response.fingerprint !== undefined && a.response.fingerprint !== b.response.fingerprint)
    throw new GlmmInputError(`the models were fitted to different data: the response "${a.response.name}" differs over the ${a.nobs} rows used`);
  const isLmm = (m: ComparableModel): boolean => m.method === 'REML' || m.method === 'ML';
  if (!isLmm(a) && (a.method !== b.method || a.nAGQ !== b.nAGQ))
    throw new GlmmInputError(`the models use different likelihood approximations (${a.method} with ${a.nAGQ} point(s), ${b.method} with ${b.nAGQ}); compare fits by the same method`);
  if (a.npar === b.npar)
    throw new GlmmInputError(`the models have the same number of parameters (${a.npar}); a likelihood-ratio test needs one nested in the other`);
  const [small, large] = a.npar < b.npar ? [a, b] : [b, a];
  const reason = nestingProblem(small, large);
  if (reason) throw new GlmmInputError(`the models are not nested: ${reason}`);

  const notes: string[] = [];
  const refitted = isLmm(small) && (small.method === 'REML' || large.method === 'REML');
  const ml = (m: ComparableModel): number => {
    if (m.method !== 'REML') return m.logLik;
    if (!m.mlLogLik) throw new GlmmInputError(`"${m.formula}" was fitted by REML and must be refitted by ML for the test, which needs its data`);
    return m.mlLogLik();
  };
  if (refitted) notes.push('refitting model(s) with ML (instead of REML), as lme4 does');
  const ll0 = ml(small);
  const ll1 = ml(large);
  const df = large.npar - small.npar;
  let chiSq = 2 * (ll1 - ll0);
  if (chiSq < 0) {
    if (chiSq < -1e-6 * Math.max(1, Math.abs(ll1)))
      notes.push(`the larger model's log-likelihood is below the smaller one's by ${(-chiSq / 2).toPrecision(3)}: one of the fits did not reach its optimum`);
    chiSq = 0;
  }
  const row = (m: ComparableModel, ll: number): ComparedModel => ({
    formula: m.formula,
    npar: m.npar,
    logLik: ll,
    aic: -2 * ll + 2 * m.npar,
    bic: -2 * ll + Math.log(m.nobs) * m.npar,
  });
  return { chiSq, df, pValue: chiSquareUpperP(chiSq, df), models: [row(small, ll0), row(large, ll1)], refitted, notes };
}

/** Why `small` is not nested in `large`, or null: its fixed columns and random terms must be among the larger model's. */
function nestingProblem(small: ComparableModel, large: ComparableModel): string | null {
  const missing = small.fixedNames.filter((n) => !large.fixedNames.includes(n));
  if (missing.length > 0) return `fixed effect(s) ${missing.join(', ')} of "${small.formula}" are not in "${large.formula}"`;
  for (const t of small.randomTerms) {
    const within = large.randomTerms.some(
      (u) => u.group === t.group && t.columnNames.every((c) => u.columnNames.includes(c)) && (!t.correlated || t.columnNames.length < 2 || u.correlated),
    );
    // Uncorrelated terms of one group ((x || g) is (1 | g) + (0 + x | g)) nest in a correlated term with all their columns.
    if (!within) return `the random-effects term (${t.columnNames.join(' + ')} | ${t.group}) of "${small.formula}" is not part of a term of "${large.formula}"`;
  }
  return null;
}

/**
 * A fingerprint of a response and its weights (FNV-1a over the doubles'
 * bytes), so that two saved models can be checked to be fits of the same
 * data without holding the data.
 */
export function responseFingerprint(y: ArrayLike<number>, weights?: ArrayLike<number>): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ y.length;
  const buf = new Float64Array(1);
  const bytes = new Uint8Array(buf.buffer);
  const mix = (v: number): void => {
    buf[0] = v;
    for (let i = 0; i < 8; i++) {
      h1 = Math.imul(h1 ^ bytes[i]!, 0x01000193);
      h2 = Math.imul(h2 ^ bytes[i]!, 0x5bd1e995);
    }
  };
  for (let i = 0; i < y.length; i++) mix(y[i]!);
  if (weights) for (let i = 0; i < weights.length; i++) mix(weights[i]!);
  return `${y.length}:${(h1 >>> 0).toString(16).padStart(8, '0')}${(h2 >>> 0).toString(16).padStart(8, '0')}`;
}
