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
 * taken from the random-effects part of the current factor only.  `inverse`,
 * when the caller already has them, is those diagonal blocks
 * (system.chol.inverseDiagonalBlocks(re.nNodes) at the same factor).
 */
export function conditionalModes(
  re: RandomEffectsStructure,
  system: MixedSystem,
  lambdas: readonly Float64Array[],
  u: Float64Array,
  scale: number,
  inverse: Float64Array | null = null,
): TermModes[] {
  const b = re.applyLambda(lambdas, u, new Float64Array(re.q));
  const inv = inverse ?? system.chol.inverseDiagonalBlocks(re.nNodes);
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

/**
 * conditionalModes for a structure whose only term is scalar, without a
 * factor: Lambda'Z'WZ Lambda + I is then diagonal, so the random-effects part
 * of the factor is diag(sqrt(d_j)) and [(L_Z L_Z')^{-1}]_jj = 1 / d_j, given
 * here as `inverseDiagonal`.
 */
export function scalarTermModes(
  re: RandomEffectsStructure,
  lambdas: readonly Float64Array[],
  u: Float64Array,
  inverseDiagonal: Float64Array,
  scale: number,
): TermModes[] {
  if (re.nTerms !== 1 || re.k[0] !== 1) throw new Error('scalarTermModes needs exactly one scalar random-effects term');
  const term = re.terms[0]!;
  const l = lambdas[0]![0]!;
  const nl = re.levels[0]!;
  const values = re.applyLambda(lambdas, u, new Float64Array(re.q));
  const condSd = scalarConditionalSds(l, inverseDiagonal, scale, nl);
  return [{ group: term.group, columnNames: term.columnNames, levels: term.levels, values, condSd }];
}

/**
 * sqrt(scale l^2 / d_j) per level, in conditionalModes' order (l * inv * l,
 * then the scale).  A loop of its own: code after a long loop runs without
 * type feedback once V8 compiles the loop on the stack.
 */
function scalarConditionalSds(l: number, inverseDiagonal: Float64Array, scale: number, levels: number): Float64Array {
  const condSd = new Float64Array(levels);
  for (let j = 0; j < levels; j++) condSd[j] = Math.sqrt(Math.max(0, scale * (l * inverseDiagonal[j]! * l)));
  return condSd;
}
