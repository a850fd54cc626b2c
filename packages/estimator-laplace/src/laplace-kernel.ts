import { isCanonicalPair, type Family, type Link, type ModelMatrices } from '@glmm/core';
import type { GlmResponse, RandomEffectsStructure } from '@glmm/engine';
import { GroupedLaplace } from './grouped-laplace.js';
import type { ParameterGradient } from './parameter-gradient.js';
import type { Pirls } from './pirls.js';
import { ScalarTermGradient } from './scalar-term-gradient.js';
import { ScalarTermsGradient } from './scalar-terms-gradient.js';
import { VectorTermsGradient } from './vector-terms-gradient.js';

/**
 * The exact gradient of the Laplace deviance in (theta, beta) at the mode
 * PIRLS just found, and a first-order prediction of the next mode.
 */
export interface ModeGradient {
  predictModes(theta: Float64Array, beta: Float64Array, u: Float64Array): void;
  gradient(theta: Float64Array, beta: Float64Array, pirls: Pirls, out: Float64Array): void;
}

/**
 * How the Laplace deviance of a problem is evaluated, chosen once from what
 * the plugins declare:
 *  - `grouped`: the fused one-term kernel (one scalar term, no dispersion,
 *    per-element link and family functions, a link that stays in the mean
 *    space) with value, gradient and an approximate Hessian per evaluation;
 *  - `gradient`: PIRLS plus an exact gradient (one scalar term, any link;
 *    several scalar terms or terms with several columns under the canonical
 *    link with covariances linear in theta);
 *    With a family parameter (observed information), the scalar-terms and
 *    vector-terms kernels under any link, with the parameter's derivative;
 *  - `pirls`: PIRLS alone (AGQ, dispersion families, other links).
 */
export type LaplaceKernel =
  | { readonly kind: 'grouped'; readonly grouped: GroupedLaplace }
  | { readonly kind: 'gradient'; readonly modes: ModeGradient; readonly name: string }
  | { readonly kind: 'pirls' };

export interface KernelContext {
  readonly model: ModelMatrices;
  readonly family: Family;
  readonly link: Link;
  readonly re: RandomEffectsStructure;
  readonly response: GlmResponse;
  readonly nAGQ: number;
  /** Whether a family parameter is estimated alongside. */
  readonly familyParameter: boolean;
  /** Its derivative, where the family and link offer the pieces (else null). */
  readonly parameterGradient: ParameterGradient | null;
}

export function selectKernel(context: KernelContext): LaplaceKernel {
  const { model, family, link, re, response } = context;
  if (context.nAGQ !== 1) return { kind: 'pirls' };
  if (context.familyParameter) return parameterKernel(context);
  if (family.hasDispersion) return { kind: 'pirls' };
  const oneScalarTerm = re.nTerms === 1 && re.k[0] === 1;
  if (oneScalarTerm) {
    const grouped = GroupedLaplace.create(model, family, link, response.aic(0));
    if (grouped) return { kind: 'grouped', grouped };
    return { kind: 'gradient', modes: new ScalarTermModes(new ScalarTermGradient(model, response)), name: 'scalar-term' };
  }
  if (re.nTerms > 1 && ScalarTermsGradient.applies(re, family, link))
    return { kind: 'gradient', modes: new ScalarTermsGradient(re, response, { modeDerivatives: true }), name: 'scalar-terms' };
  const dLambda = re.lambdaDerivatives();
  if (!re.scalarThetaTerms() && isCanonicalPair(family, link) && VectorTermsGradient.applies(family, link, dLambda))
    return { kind: 'gradient', modes: new VectorTermsGradient(re, response, dLambda!), name: 'vector-terms' };
  return { kind: 'pirls' };
}

/**
 * With a family parameter fitted by ML the Laplace factor holds the observed
 * information, the Hessian of the penalised deviance in u under any link
 * (F_uu = 2M, as the canonical link gives for the working weights), so the
 * canonical-link kernels apply to every link, with the parameter's
 * derivative after beta's: scalar terms (one or several), or terms with
 * several columns whose covariances are linear in theta.
 */
function parameterKernel(context: KernelContext): LaplaceKernel {
  const { re, response } = context;
  const parameter = context.parameterGradient;
  if (!parameter || !response.hasObservedInformation) return { kind: 'pirls' };
  if (re.scalarThetaTerms())
    return { kind: 'gradient', modes: new ScalarTermsGradient(re, response, { modeDerivatives: true, parameter }), name: 'scalar-terms' };
  const dLambda = re.lambdaDerivatives();
  if (dLambda) return { kind: 'gradient', modes: new VectorTermsGradient(re, response, dLambda, parameter), name: 'vector-terms' };
  return { kind: 'pirls' };
}

/** ScalarTermGradient (one scalar term, any link) in the ModeGradient shape. */
class ScalarTermModes implements ModeGradient {
  constructor(private readonly inner: ScalarTermGradient) {}

  predictModes(theta: Float64Array, beta: Float64Array, u: Float64Array): void {
    this.inner.predictModes(theta[0]!, beta, u);
  }

  gradient(theta: Float64Array, _beta: Float64Array, pirls: Pirls, out: Float64Array): void {
    this.inner.gradient(theta[0]!, pirls.beta, pirls.u, pirls.eta, out);
  }
}
