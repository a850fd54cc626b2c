import { GlmmInputError, type ExclusionSummary, type Link } from '@glmm/core';
import { qnorm } from '@glmm/distributions';
import type { ModelEstimates } from './estimates.js';
import { addTerm, addTermVariance, fixedPart, fixedVariance, type TermRows } from './linear-predictor.js';

export type PredictionScale = 'link' | 'response';
export type IntervalType = 'none' | 'confidence' | 'prediction';

export interface PredictOptions {
  /** Conditional on the random effects (the BLUPs; 0 for levels not in the fit) or marginal (all 0). Default true. */
  readonly conditional?: boolean;
  /** The linear predictor or the mean. Default 'response'. */
  readonly scale?: PredictionScale;
  /** Standard errors of the fixed part: sqrt(x' V x) on the link scale, by the delta method on the response scale. */
  readonly se?: boolean;
  /**
   * 'confidence': the interval of the fixed part (link scale +- z se, mapped
   * through the inverse link on the response scale); 'prediction' (linear
   * mixed models only): for a new observation, adding the residual variance
   * sigma^2, and the random-effect variance z' Sigma z of every term that is
   * not conditioned on (all terms when marginal, unseen levels otherwise).
   * Normal quantiles.  Default 'none'.
   */
  readonly interval?: IntervalType;
  /** Level of the interval. Default 0.95. */
  readonly level?: number;
}

/** Predictions for the rows of some data. */
export interface Prediction {
  readonly conditional: boolean;
  readonly scale: PredictionScale;
  /** Rows of the input. */
  readonly nrows: number;
  /** Input row (0-based) of each prediction, ascending. */
  readonly rows: Int32Array;
  readonly fit: Float64Array;
  readonly se?: Float64Array;
  readonly interval?: { readonly type: 'confidence' | 'prediction'; readonly level: number; readonly lower: Float64Array; readonly upper: Float64Array };
  /**
   * Per grouping factor: 1 for each predicted row whose level was not in the
   * fit (or missing), which got a random effect of 0 (lme4's
   * allow.new.levels = TRUE).  Empty for marginal predictions.
   */
  readonly newLevels: readonly { readonly group: string; readonly rows: Uint8Array }[];
  /** Rows that could not be predicted (a missing or non-finite predictor). */
  readonly excluded: ExclusionSummary;
}

/**
 * The design of the rows to predict: X, offset and the terms' rows (model
 * order), whose level indices conditional predictions need and whose value
 * columns prediction intervals need; null when neither is asked for.
 */
export interface PredictionDesign {
  readonly n: number;
  readonly nrows: number;
  readonly rows: Int32Array;
  readonly X: Float64Array;
  readonly offset: Float64Array;
  readonly terms: readonly (TermRows & { readonly group: string })[] | null;
  readonly excluded: ExclusionSummary;
}

function checkOptions(o: PredictOptions): Required<PredictOptions> {
  const scale = o.scale ?? 'response';
  if (scale !== 'link' && scale !== 'response') throw new GlmmInputError(`scale must be "link" or "response", got "${String(scale)}"`);
  const interval = o.interval ?? 'none';
  if (!['none', 'confidence', 'prediction'].includes(interval))
    throw new GlmmInputError(`interval must be "none", "confidence" or "prediction", got "${String(interval)}"`);
  const level = o.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new GlmmInputError(`level must be between 0 and 1, got ${level}`);
  return { conditional: o.conditional ?? true, scale, se: o.se ?? false, interval, level };
}

/** Predictions on a design from the estimates (see PredictOptions). */
export function predictDesign(design: PredictionDesign, est: ModelEstimates, link: Link, options: PredictOptions): Prediction {
  const o = checkOptions(options);
  const { n, X } = design;
  const p = est.beta.length;
  const lmm = est.nAGQ === 0;
  if (o.interval === 'prediction' && !lmm)
    throw new GlmmInputError(`prediction intervals are given for linear mixed models only; this model was fitted by ${est.method}: ask for interval "confidence" instead`);
  const eta = fixedPart(X, n, est.beta, design.offset);
  const newLevels = new Map<string, Uint8Array>();
  if (o.conditional) {
    if (!design.terms) throw new Error('conditional predictions need the random-effects terms of the rows');
    design.terms.forEach((term, t) => {
      addTerm(term, est.terms[t]!.modes, eta);
      let flags = newLevels.get(term.group);
      if (!flags) newLevels.set(term.group, (flags = new Uint8Array(n)));
      for (let i = 0; i < n; i++) if (term.index[i]! < 0) flags[i] = 1;
    });
  }
  const needVariance = o.se || o.interval !== 'none';
  const variance = needVariance ? fixedVariance(X, n, p, est.vcov) : null;
  let seLink: Float64Array | null = null;
  if (variance) seLink = variance.map(Math.sqrt);

  let interval: Prediction['interval'];
  if (o.interval !== 'none') {
    const z = qnorm(1 - (1 - o.level) / 2);
    let sd = seLink!;
    if (o.interval === 'prediction') {
      // Identity link: the response scale is the link scale.
      const total = Float64Array.from(variance!, (v) => v + est.sigma * est.sigma);
      if (!design.terms && est.terms.length > 0) throw new Error('prediction intervals need the random-effects columns of the rows');
      design.terms?.forEach((term, t) => {
        const unconditioned = o.conditional ? (i: number) => term.index[i]! < 0 : () => true;
        addTermVariance(term, est.terms[t]!.covarianceMatrix, unconditioned, total);
      });
      sd = total.map(Math.sqrt);
    }
    const lower = new Float64Array(n);
    const upper = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      lower[i] = eta[i]! - z * sd[i]!;
      upper[i] = eta[i]! + z * sd[i]!;
    }
    if (o.scale === 'response' && o.interval === 'confidence') {
      link.linkinv(lower, lower);
      link.linkinv(upper, upper);
      // A decreasing link (inverse) swaps the ends.
      for (let i = 0; i < n; i++)
        if (lower[i]! > upper[i]!) {
          const t = lower[i]!;
          lower[i] = upper[i]!;
          upper[i] = t;
        }
    }
    interval = { type: o.interval, level: o.level, lower, upper };
  }

  let fit = eta;
  let se = seLink;
  if (o.scale === 'response') {
    fit = link.linkinv(eta, new Float64Array(n));
    if (se) {
      const d = link.muEta(eta, new Float64Array(n));
      se = se.map((s, i) => s * Math.abs(d[i]!));
    }
  }
  return {
    conditional: o.conditional,
    scale: o.scale,
    nrows: design.nrows,
    rows: design.rows,
    fit,
    ...(o.se && se ? { se } : {}),
    ...(interval ? { interval } : {}),
    newLevels: [...newLevels].map(([group, rows]) => ({ group, rows })),
    excluded: design.excluded,
  };
}
