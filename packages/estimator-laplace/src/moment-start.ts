import type { RandomEffectsStructure } from '@glmm/engine';
import type { GlmResponse } from '@glmm/engine';

/**
 * Moment estimates of the theta of each scalar random-effects term, from the
 * GLM fit held in `response` (mu, dmu/deta, V and the working weights at
 * theta = 0): with S_j the score and I_j the Fisher information of level j's
 * effect there, E[S_j^2] = I_j + theta^2 I_j^2, so
 * theta^2 ~ sum_j (S_j^2 - I_j) / sum_j I_j^2 (the DerSimonian-Laird idea),
 * each term taken on its own.  A start for the search instead of lme4's
 * theta = 1; never below `floor`, since theta = 0 is a stationary point of
 * the deviance.  Terms with several columns keep `fallback`'s values.
 */
export function momentThetaStart(re: RandomEffectsStructure, response: GlmResponse, fallback: Float64Array, floor: number): Float64Array {
  const out = Float64Array.from(fallback);
  const model = re.model;
  const { y, weights: pw } = model;
  const { mu, muEta, variance, weights: w } = response;
  const n = model.n;
  for (let t = 0; t < re.nTerms; t++) {
    if (re.k[t] !== 1 || re.thetaOffset[t + 1]! - re.thetaOffset[t]! !== 1) continue;
    const term = re.terms[t]!;
    const z = term.columns[0]!;
    const idx = term.index;
    const S = new Float64Array(re.levels[t]!);
    const I = new Float64Array(re.levels[t]!);
    for (let r = 0; r < n; r++) {
      const j = idx[r]!;
      const zr = z[r]!;
      S[j]! += ((pw[r]! * muEta[r]! * (y[r]! - mu[r]!)) / variance[r]!) * zr;
      I[j]! += w[r]! * zr * zr;
    }
    let num = 0;
    let den = 0;
    for (let j = 0; j < S.length; j++) {
      num += S[j]! * S[j]! - I[j]!;
      den += I[j]! * I[j]!;
    }
    const t2 = num / den;
    if (Number.isFinite(t2)) out[re.thetaOffset[t]!] = Math.max(Math.sqrt(Math.max(t2, 0)), floor);
  }
  return out;
}
