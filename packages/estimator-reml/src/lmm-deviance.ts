import type { DevianceLayout, DevianceState, ModelDeviance } from '@glmm/core';
import type { RandomEffectsStructure } from '@glmm/engine';
import { LmmDerivatives } from './lmm-derivatives.js';
import { LmmGeneralDerivatives } from './lmm-general-derivatives.js';
import { lmmMomentStart } from './lmm-moment-start.js';
import { LmmObjective } from './lmm-objective.js';

/**
 * The profiled REML or ML deviance of a linear mixed model as a function of
 * theta alone (beta and sigma profiled out), lme4's mkLmerDevfun: x = theta.
 * With several terms it has an exact gradient and an average-information
 * Hessian (LmmDerivatives for scalar terms, LmmGeneralDerivatives for any
 * covariance declared linear in theta), so Newton's method applies.
 */
export class LmmDeviance implements ModelDeviance {
  readonly objective: LmmObjective;
  readonly layout: DevianceLayout;
  /** Derivatives for Newton's method; null for one term (closed form, bobyqa) or a covariance not linear in theta. */
  readonly derivatives: LmmDerivatives | LmmGeneralDerivatives | null;
  /** Whether the start is the moment estimate (several terms) rather than lme4's theta = 1. */
  readonly momentStart: boolean;
  private readonly scratchH: Float64Array;

  constructor(
    readonly re: RandomEffectsStructure,
    readonly reml: boolean,
  ) {
    this.objective = new LmmObjective(re, reml);
    // With several terms each evaluation refactors a crossed or nested system:
    // start at the moment estimates, which are close, instead of lme4's theta = 1,
    // and take Newton steps.  (One scalar term evaluates in closed form; the
    // extra pass would not pay.)
    this.momentStart = re.nTerms > 1;
    this.derivatives = this.momentStart ? lmmDerivatives(this.objective) : null;
    this.scratchH = new Float64Array(re.nTheta * re.nTheta);
    const names = re.terms.flatMap((term, t) => re.covariances[t]!.thetaNames(term.columnNames).map((name) => `${term.group}:${name}`));
    this.layout = { nTheta: re.nTheta, nBeta: 0, nFamily: 0, names, lower: Float64Array.from(re.lower), upper: new Float64Array(re.nTheta).fill(Infinity) };
    if (this.derivatives) {
      const derivatives = this.derivatives;
      this.valueGradientHessian = (x, g, H) => derivatives.evaluate(x, g, H);
      this.gradient = (x, g) => void derivatives.evaluate(x, g, this.scratchH);
    }
  }

  readonly valueGradientHessian?: (x: Float64Array, g: Float64Array, H: Float64Array) => number;
  readonly gradient?: (x: Float64Array, out: Float64Array) => void;
  readonly hessianIsExact = false;

  get evaluations(): number {
    return this.objective.evaluations;
  }

  start(): Float64Array {
    return this.momentStart ? lmmMomentStart(this.re, this.re.initialTheta(), 0.05) : this.re.initialTheta();
  }

  value(theta: Float64Array): number {
    return this.objective.deviance(theta);
  }

  /** beta, sigma, (R_X'R_X)^{-1} and the deviance's pieces at theta. */
  evaluate(theta: Float64Array): DevianceState | null {
    const optimum = this.objective.optimum(theta, this.derivatives?.inverseDiagonalAt(theta) ?? null);
    if (!optimum) return null;
    const { solution, fixedInverse } = optimum;
    const { n, p, reml } = this.objective;
    const sigma = Math.sqrt(solution.pwrss / (reml ? n - p : n));
    return {
      deviance: solution.deviance,
      theta: Float64Array.from(theta),
      beta: solution.beta,
      sigma,
      unscaledVcovBeta: fixedInverse,
      u: solution.u,
      lmm: { reml, n, p, pwrss: solution.pwrss, ldL2: solution.ldL2, ldRX2: solution.ldRX2, ldW: this.objective.ldW },
    };
  }
}

/** The derivatives of the profiled deviance for Newton's method, or null where none apply. */
function lmmDerivatives(objective: LmmObjective): LmmDerivatives | LmmGeneralDerivatives | null {
  if (objective.re.scalarThetaTerms()) return new LmmDerivatives(objective);
  const dLambda = objective.re.lambdaDerivatives();
  return dLambda ? new LmmGeneralDerivatives(objective, dLambda) : null;
}
