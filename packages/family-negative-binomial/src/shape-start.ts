import { digamma, trigamma } from '@glmm/distributions';

/** The largest shape a start reports: beyond it the counts show no overdispersion (Poisson). */
export const SHAPE_START_CAP = 1e8;

/** Counts up to this many use the exact finite sums for psi(y + theta) - psi(theta) and its derivative. */
const FINITE_SUM_LIMIT = 64;

/**
 * Score and information of the log-likelihood in theta at fixed means, summed
 * over rows: the score is sum wt [psi(y + theta) - psi(theta) + log(theta / (theta + mu))
 * + (mu - y) / (theta + mu)], written with the differences that do not cancel.
 */
function scoreAndInformation(y: Float64Array, mu: Float64Array, wt: Float64Array, theta: number): [number, number] {
  let score = 0;
  let info = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    if (w === 0) continue;
    const yi = y[i]!;
    const mi = mu[i]!;
    let d1 = 0;
    let d2 = 0;
    if (yi <= FINITE_SUM_LIMIT) {
      for (let k = 0; k < yi; k++) {
        const t = 1 / (theta + k);
        d1 += t;
        d2 += t * t;
      }
    } else {
      d1 = digamma(yi + theta) - digamma(theta);
      d2 = trigamma(theta) - trigamma(yi + theta);
    }
    const tm = theta + mi;
    score += w * (d1 - Math.log1p(mi / theta) + (mi - yi) / tm);
    // -d(score)/d(theta)
    info += w * (d2 - mi / (theta * tm) + (mi - yi) / (tm * tm));
  }
  return [score, info];
}

/**
 * A starting shape from the response and fitted means (for instance a
 * Poisson GLM's): the maximum-likelihood shape at those means, as MASS's
 * theta.ml, found by Newton's method on log theta from the moment estimate
 * sum mu^2 / sum((y - mu)^2 - mu).  Counts without overdispersion at these
 * means (score still positive at the cap) give SHAPE_START_CAP.
 */
export function shapeStart(y: Float64Array, mu: Float64Array, wt: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    const w = wt[i]!;
    const m = mu[i]!;
    const r = y[i]! - m;
    num += w * m * m;
    den += w * (r * r - m);
  }
  if (!(den > 0) || !(num > 0)) return SHAPE_START_CAP;
  let s = Math.log(Math.min(Math.max(num / den, 1e-4), SHAPE_START_CAP));
  for (let iter = 0; iter < 50; iter++) {
    const theta = Math.exp(s);
    const [score, info] = scoreAndInformation(y, mu, wt, theta);
    // In s = log theta: gradient theta * score, curvature theta^2 * info - theta * score.
    const g = theta * score;
    const h = theta * theta * info - g;
    // Away from the optimum the curvature can have the wrong sign: then a fixed step uphill.
    let step = h > 0 ? g / h : Math.sign(g);
    step = Math.max(Math.min(step, 2), -2);
    s += step;
    if (s >= Math.log(SHAPE_START_CAP)) {
      const [atCap] = scoreAndInformation(y, mu, wt, SHAPE_START_CAP);
      if (atCap >= 0) return SHAPE_START_CAP;
      s = Math.log(SHAPE_START_CAP) - 1;
    }
    if (Math.abs(step) < 1e-10) break;
  }
  return Math.min(Math.max(Math.exp(s), 1e-8), SHAPE_START_CAP);
}
