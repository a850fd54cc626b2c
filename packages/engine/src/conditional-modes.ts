import type { TermCovariance, TermModes } from '@glmm/core';
import type { MixedSystem } from './mixed-system.js';
import type { RandomEffectsStructure } from './random-effects.js';

/** Sigma_t = scale * Lambda_t Lambda_t' for every term. */
export function termCovariances(
  re: RandomEffectsStructure,
  lambdas: readonly Float64Array[],
  scale: number,
): TermCovariance[] {
  return re.terms.map((term, t) => {
    const k = re.k[t]!;
    const L = lambdas[t]!;
    const cov = new Float64Array(k * k);
    for (let a = 0; a < k; a++)
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let m = 0; m <= Math.min(a, c); m++) s += L[m * k + a]! * L[m * k + c]!;
        cov[c * k + a] = scale * s;
      }
    return { group: term.group, columnNames: term.columnNames, covariance: cov, correlated: re.covariances[t]!.correlated };
  });
}

/**
 * Conditional modes b = Lambda u and their conditional SDs, as lme4's
 * ranef(condVar = TRUE): Var(b_j | y) = scale * Lambda_t [(L_Z L_Z')^{-1}]_jj Lambda_t',
 * taken from the random-effects part of the current factor only.
 */
export function conditionalModes(
  re: RandomEffectsStructure,
  system: MixedSystem,
  lambdas: readonly Float64Array[],
  u: Float64Array,
  scale: number,
): TermModes[] {
  const b = re.applyLambda(lambdas, u, new Float64Array(re.q));
  const inv = system.chol.inverseDiagonalBlocks(re.nNodes);
  const out: TermModes[] = [];
  let off = 0;
  for (let t = 0; t < re.nTerms; t++) {
    const term = re.terms[t]!;
    const k = re.k[t]!;
    const L = lambdas[t]!;
    const nl = re.levels[t]!;
    const values = b.slice(re.coefBase[t]!, re.coefBase[t + 1]!);
    const condSd = new Float64Array(nl * k);
    for (let j = 0; j < nl; j++) {
      // diag(L V L') for this level's k x k block V.
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let m1 = 0; m1 <= a; m1++)
          for (let m2 = 0; m2 <= a; m2++) s += L[m1 * k + a]! * inv[off + m2 * k + m1]! * L[m2 * k + a]!;
        condSd[j * k + a] = Math.sqrt(Math.max(0, scale * s));
      }
      off += k * k;
    }
    out.push({ group: term.group, columnNames: term.columnNames, levels: term.levels, values, condSd });
  }
  return out;
}

/** lme4's isSingular(): a diagonal element of some Lambda_t at (or within tol of) zero. */
export function isSingularTheta(re: RandomEffectsStructure, theta: Float64Array, tol = 1e-4): boolean {
  for (let i = 0; i < theta.length; i++) if (re.isDiagonal[i] && theta[i]! < tol) return true;
  return false;
}
