import type { DevianceLayout, DevianceState, FamilyParameter, FitProblem, ModelDeviance } from '@glmm/core';
import { GlmResponse, RandomEffectsStructure } from '@glmm/engine';
import { inverseFromCholesky } from '@glmm/linalg';
import { gaussHermite } from './gauss-hermite.js';
import { LaplaceObjective } from './laplace-objective.js';
import { ParameterGradient } from './parameter-gradient.js';
import type { GroupedLaplace } from './grouped-laplace.js';
import { selectKernel, type LaplaceKernel } from './laplace-kernel.js';
import { laplaceStart } from './laplace-start.js';

/** PIRLS tolerance of the search's evaluations (the final state is converged tighter). */
export const SEARCH_TOLERANCE = 1e-12;
/** PIRLS tolerance of the state reported at the optimum. */
export const FINAL_TOLERANCE = 1e-13;

/** The mode at one (theta, beta), converged tightly: what the results are read from. */
export interface LaplaceMode {
  readonly deviance: number;
  /** ||u||^2 at the mode (0 for the grouped kernel, whose deviance already holds it). */
  readonly sqrU: number;
}

/**
 * The Laplace (nAGQ = 1) or AGQ deviance of a GLMM as a function of
 * x = (theta, beta) on their natural scale: lme4's mkGlmerDevfun at
 * nAGQ >= 1.  The kernel is chosen once from the plugins' declarations
 * (see selectKernel); evaluations keep warm starts (the last modes, or a
 * first-order prediction of the next ones) and the last point's value, so
 * a gradient right after a value at the same point reuses the mode.
 */
export class LaplaceDeviance implements ModelDeviance {
  readonly re: RandomEffectsStructure;
  readonly response: GlmResponse;
  readonly objective: LaplaceObjective;
  readonly kernel: LaplaceKernel;
  readonly layout: DevianceLayout;
  readonly nAGQ: number;
  readonly p: number;
  readonly nTheta: number;
  /**
   * The family parameter estimated by ML alongside (x's last coordinate, on
   * the log scale), or null: when the family requires it (negative binomial
   * shape) or the caller asks for ML dispersion.
   */
  readonly parameter: FamilyParameter | null;
  /** The parameter's value the response's family is fixed at now. */
  private parameterNow = NaN;
  /** d f / d(theta, beta) at the last point the grouped kernel evaluated. */
  private readonly groupedGradient: Float64Array;
  /** The last point evaluated, its PIRLS tolerance and value. */
  private lastX: Float64Array | null = null;
  private lastTol = NaN;
  private lastValue = NaN;

  constructor(readonly problem: FitProblem, nAGQ: number) {
    const { model, family, link } = problem;
    this.nAGQ = nAGQ;
    this.re = new RandomEffectsStructure(model, problem.covariances);
    this.response = new GlmResponse(model, family, link);
    this.objective = new LaplaceObjective(this.re, this.response, problem.options.maxIterations, nAGQ > 1 ? gaussHermite(nAGQ) : null);
    this.parameter = estimatedParameter(problem);
    // A parameter estimated by ML (glmmTMB's fits) goes with the true Laplace: the observed information.
    this.response.observedInformation = this.parameter !== null;
    this.objective.quadratureIncludesSaturated = this.parameter !== null;
    const parameterGradient =
      this.parameter && ParameterGradient.applies(this.parameter, this.response)
        ? new ParameterGradient(model, this.response, this.parameter, () => this.parameterNow)
        : null;
    this.kernel = selectKernel({
      model,
      family,
      link,
      re: this.re,
      response: this.response,
      nAGQ,
      familyParameter: this.parameter !== null,
      parameterGradient,
    });
    this.p = model.p;
    this.nTheta = this.re.nTheta;
    this.groupedGradient = new Float64Array(this.nTheta + this.p);
    this.layout = laplaceLayout(this.re, model.fixedNames, this.parameter);
    // Only the derivatives the kernel has are offered (ModelDeviance's optional members).
    if (this.kernel.kind !== 'pirls') this.gradient = (x, out) => this.exactGradient(x, out);
    if (this.kernel.kind === 'grouped') {
      const grouped = this.kernel.grouped;
      this.valueGradientHessian = (x, g, H) => this.groupedNewton(grouped, x, g, H);
    }
  }

  readonly gradient?: (x: Float64Array, out: Float64Array) => void;
  readonly valueGradientHessian?: (x: Float64Array, g: Float64Array, H: Float64Array) => number;
  readonly hessianIsExact = false;

  get evaluations(): number {
    return this.objective.evaluations + (this.kernel.kind === 'grouped' ? this.kernel.grouped.evaluations : 0);
  }

  /** The estimator's own start: see laplaceStart (the GLM, then stage 1 or moment estimates). */
  start(): Float64Array {
    return laplaceStart(this, undefined).x;
  }

  value(x: Float64Array): number {
    return this.valueAt(x, SEARCH_TOLERANCE);
  }

  /** The deviance at x with the PIRLS tolerance given (the cached value when x was just evaluated as tightly). */
  valueAt(x: Float64Array, tol: number): number {
    if (this.isLast(x) && tol >= this.lastTol) return this.lastValue;
    if (!this.fixParameterAt(x)) return Infinity;
    const theta = x.subarray(0, this.nTheta);
    const beta = x.subarray(this.nTheta, this.nTheta + this.p);
    const kernel = this.kernel;
    if (kernel.kind === 'grouped') this.lastValue = kernel.grouped.evaluate(theta[0]!, beta, this.groupedGradient);
    else {
      if (kernel.kind === 'gradient') kernel.modes.predictModes(theta, beta, this.objective.pirls.u);
      this.lastValue = this.objective.deviance(theta, beta, tol);
    }
    this.remember(x, tol, this.lastValue);
    return this.lastValue;
  }

  /** Exact d f / d(theta, beta[, log parameter]) at x (NaN where the deviance is not finite). */
  private exactGradient(x: Float64Array, out: Float64Array): void {
    if (!(this.valueAt(x, SEARCH_TOLERANCE) < Infinity)) {
      out.fill(Number.NaN);
      return;
    }
    const kernel = this.kernel;
    if (kernel.kind === 'grouped') out.set(this.groupedGradient);
    else if (kernel.kind === 'gradient') {
      const pirls = this.objective.pirls;
      kernel.modes.gradient(x.subarray(0, this.nTheta), pirls.beta, pirls, out);
    }
  }

  /**
   * Fixes the family parameter at x's last coordinate (exp of it); false
   * when that value is outside the parameter's open range (a search step to
   * exp(800) = Infinity, or NaN), where the deviance is not defined.
   */
  private fixParameterAt(x: Float64Array): boolean {
    const parameter = this.parameter;
    if (!parameter) return true;
    const value = Math.exp(x[this.nTheta + this.p]!);
    if (!(value > parameter.lower && value < parameter.upper)) return false;
    this.fixParameter(value);
    return true;
  }

  /**
   * Fixes the family parameter (the response's family becomes
   * parameter.at(value)); a no-op at the value it holds.
   */
  fixParameter(value: number): void {
    if (value === this.parameterNow || !this.parameter) return;
    this.response.setFamily(this.parameter.at(value));
    this.parameterNow = value;
  }

  /** The family parameter the response holds now (NaN when none is estimated). */
  get parameterValue(): number {
    return this.parameterNow;
  }

  /** The grouped kernel's value, exact gradient and approximate Hessian in (theta, beta). */
  private groupedNewton(grouped: GroupedLaplace, x: Float64Array, g: Float64Array, H: Float64Array): number {
    const value = grouped.evaluate(x[0]!, x.subarray(1, 1 + this.p), this.groupedGradient, H);
    this.remember(x, SEARCH_TOLERANCE, value);
    g.set(this.groupedGradient);
    return value;
  }

  /**
   * The mode at (theta, beta) converged tightly, with the per-row state
   * (eta, mu, the deviance residuals) left in the response and PIRLS, and
   * the factor at the mode's weights in the PIRLS system.  `modes`, when
   * the caller saved the grouped kernel's modes at this very point, starts
   * its Newton iterations there.
   */
  mode(theta: Float64Array, beta: Float64Array, modes: Float64Array | null = null): LaplaceMode {
    this.lastX = null; // the state moves on from the cached point
    const kernel = this.kernel;
    if (kernel.kind === 'grouped') {
      const grouped = kernel.grouped;
      grouped.lastStep = 1e-7;
      if (modes) grouped.startFrom(modes);
      const deviance = grouped.evaluate(theta[0]!, beta, this.groupedGradient);
      if (deviance < Infinity) {
        this.writeGroupedState(grouped, theta[0]!, beta);
        return { deviance, sqrU: 0 };
      }
    }
    const out = this.objective.mode(theta, beta, FINAL_TOLERANCE);
    return { deviance: this.objective.devianceAtMode(out, theta), sqrU: out.ok ? out.sqrU : Infinity };
  }

  /** The grouped kernel's per-row state and factor diagonal, where PIRLS would leave them. */
  private writeGroupedState(grouped: GroupedLaplace, theta: number, beta: Float64Array): void {
    const { response, objective, re } = this;
    const Ldiag = new Float64Array(re.q);
    const { eta } = objective.pirls;
    grouped.writeState(theta, beta, { eta, mu: response.mu, devRes: response.devRes, muEta: response.muEta, variance: response.variance }, Ldiag);
    objective.pirls.u.set(grouped.u);
    const sys = objective.pirls.system;
    for (let j = 0; j < re.q; j++) sys.chol.values[sys.pattern.diagOffset[j]!] = Ldiag[j]!;
  }

  /**
   * The dispersion at the mode just found: the estimated parameter when it
   * is the dispersion; lme4's (Pearson + ||u||^2) / n for families with one;
   * else 1.
   */
  dispersionAtMode(mode: LaplaceMode): number {
    if (this.parameter) return this.parameter.isDispersion ? this.parameterNow : 1;
    if (!this.response.family.hasDispersion) return 1;
    return (this.response.pearsonSumOfSquares() + mode.sqrU) / this.problem.model.n;
  }

  /**
   * (R_X'R_X)^{-1} at the mode just found: the fixed-effects block of the
   * joint system factored with the weights at the mode (lme4's R_X).
   */
  fixedEffectsInverse(theta: Float64Array): Float64Array | null {
    const p = this.p;
    if (p === 0) return new Float64Array(0);
    this.response.updateWeights(this.objective.pirls.eta);
    const system = this.objective.joint.system;
    system.accumulate(this.response.weights);
    if (system.factor(this.re.lambdas(theta)) >= 0) return null;
    return inverseFromCholesky(system.chol.values, p, system.pattern.diagOffset[system.xNode]!);
  }

  evaluate(x: Float64Array): DevianceState | null {
    const theta = Float64Array.from(x.subarray(0, this.nTheta));
    const beta = Float64Array.from(x.subarray(this.nTheta, this.nTheta + this.p));
    if (!this.fixParameterAt(x)) return null;
    const mode = this.mode(theta, beta);
    if (!(mode.deviance < Infinity)) return null;
    const sigma = Math.sqrt(this.dispersionAtMode(mode));
    const u = Float64Array.from(this.objective.pirls.u);
    const unscaledVcovBeta = this.fixedEffectsInverse(theta);
    if (!unscaledVcovBeta) return null;
    return { deviance: mode.deviance, theta, beta, sigma, unscaledVcovBeta, u, ...(this.parameter ? { familyParameter: this.parameterNow } : {}) };
  }

  /** Whether x is the point evaluated last. */
  isLast(x: Float64Array): boolean {
    const last = this.lastX;
    if (last === null || last.length !== x.length) return false;
    for (let i = 0; i < x.length; i++) if (last[i] !== x[i]) return false;
    return true;
  }

  private remember(x: Float64Array, tol: number, value: number): void {
    this.lastX = Float64Array.from(x);
    this.lastTol = tol;
    this.lastValue = value;
  }
}

/** The family parameter to estimate: required by the family, or its dispersion when the caller asks for ML. */
export function estimatedParameter(problem: FitProblem): FamilyParameter | null {
  const parameter = problem.family.parameter;
  if (!parameter) return null;
  return parameter.required || problem.options.dispersion === 'ml' ? parameter : null;
}

function laplaceLayout(re: RandomEffectsStructure, fixedNames: readonly string[], parameter: FamilyParameter | null): DevianceLayout {
  const thetaNames = re.terms.flatMap((term, t) => re.covariances[t]!.thetaNames(term.columnNames).map((name) => `${term.group}:${name}`));
  const nFamily = parameter ? 1 : 0;
  const d = re.nTheta + fixedNames.length + nFamily;
  const lower = new Float64Array(d).fill(-Infinity);
  const upper = new Float64Array(d).fill(Infinity);
  lower.set(re.lower);
  if (parameter) {
    lower[d - 1] = Math.log(parameter.lower);
    upper[d - 1] = Math.log(parameter.upper);
  }
  const names = [...thetaNames, ...fixedNames, ...(parameter ? [`log(${parameter.name})`] : [])];
  return { nTheta: re.nTheta, nBeta: fixedNames.length, nFamily, names, lower, upper };
}
