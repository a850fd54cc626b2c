import { coldSeconds, warmSeconds, type FitSummary } from './fit-summary.js';

/** Below this log-likelihood gap both sides are taken to be at the same optimum. */
export const LOGLIK_TOLERANCE = 1e-3;

export interface Comparison {
  /** lme4's first fit over our first fit, each in a fresh process (both include model-frame construction); > 1 means we are faster. */
  readonly speedRatioCold: number;
  /** lme4's median fit over ours after the first (lme4's single fit where it ran once). */
  readonly speedRatioWarm: number;
  /** ours - lme4. */
  readonly logLikDiff: number;
  /** max over coefficients of |beta_ours - beta_lme4| / SE_lme4. */
  readonly maxBetaDiffOverSE: number;
  /** max |theta_ours - theta_lme4| (only when both have the same number of thetas). */
  readonly maxThetaDiff: number | null;
  /** Short verdict for the table: "", "ours worse", "lme4 worse". */
  readonly flag: string;
  readonly notes: readonly string[];
}

export function compareFits(ours: FitSummary, lme4: FitSummary): Comparison {
  const notes: string[] = [];
  const speedRatioCold = coldSeconds(lme4) / coldSeconds(ours);
  const speedRatioWarm = (warmSeconds(lme4) ?? coldSeconds(lme4)) / (warmSeconds(ours) ?? coldSeconds(ours));
  const logLikDiff = ours.logLik - lme4.logLik;
  let flag = '';
  if (logLikDiff > LOGLIK_TOLERANCE) {
    flag = 'lme4 worse';
    notes.push(`lme4's logLik is lower than ours by ${logLikDiff.toExponential(2)}: its default optimizer stopped short, so the times are not at the same optimum`);
  } else if (logLikDiff < -LOGLIK_TOLERANCE) {
    flag = 'ours worse';
    notes.push(`our logLik is lower than lme4's by ${(-logLikDiff).toExponential(2)}: our fit stopped short of lme4's optimum`);
  }

  let maxBeta = 0;
  const byName = new Map(lme4.fixef.map((f) => [f.name, f]));
  const namesMatch = ours.fixef.length === lme4.fixef.length && ours.fixef.every((f) => byName.has(f.name));
  if (!namesMatch) notes.push(`fixed-effect names differ (ours: ${ours.fixef.map((f) => f.name).join(', ')}; lme4: ${lme4.fixef.map((f) => f.name).join(', ')}); compared by position`);
  const count = Math.min(ours.fixef.length, lme4.fixef.length);
  for (let k = 0; k < count; k++) {
    const o = ours.fixef[k]!;
    const r = namesMatch ? byName.get(o.name)! : lme4.fixef[k]!;
    maxBeta = Math.max(maxBeta, Math.abs(o.estimate - r.estimate) / r.stdError);
  }
  if (ours.fixef.length !== lme4.fixef.length) maxBeta = Number.NaN;

  let maxTheta: number | null = null;
  if (ours.theta.length === lme4.theta.length) {
    // lme4 orders terms by decreasing number of levels; compare sorted values so a different term order does not read as a difference.
    const a = [...ours.theta].sort((x, y) => x - y);
    const b = [...lme4.theta].sort((x, y) => x - y);
    maxTheta = a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);
  } else notes.push(`theta lengths differ (ours ${ours.theta.length}, lme4 ${lme4.theta.length})`);

  if (!ours.converged) notes.push(`our fit reports no convergence (${ours.optimizer})`);
  if (!lme4.converged) notes.push(`lme4's convergence checks flagged the fit`);
  for (const m of lme4.messages) notes.push(`lme4: ${oneLine(m)}`);
  for (const m of ours.messages) notes.push(`ours: ${oneLine(m)}`);
  return { speedRatioCold, speedRatioWarm, logLikDiff, maxBetaDiffOverSE: maxBeta, maxThetaDiff: maxTheta, flag, notes };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
