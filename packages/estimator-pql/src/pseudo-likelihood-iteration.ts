import { FitAbortedError, GlmmInputError, type FitProblem, type FitWarning } from '@glmm/core';
import { pickOptimizer, RandomEffectsStructure } from '@glmm/engine';
import { fitGlmStart, fixedPredictor } from './glm-start.js';
import type { ResolvedSettings } from './pseudo-likelihood-method.js';
import { domainWarning, workingModelWarning } from './pseudo-likelihood-warnings.js';
import { fitWorkingLmm, WorkingLmm, type WorkingLmmFit, type WorkingLmmSearch } from './working-lmm.js';
import { WorkingResponse } from './working-response.js';

/**
 * Final trust radius of the working LMM's search in theta.  The PL iteration
 * can settle no closer than the inner fits do, and fitglme's PLTolerance
 * (1e-8 on eta) needs theta to about that.
 */
const THETA_TOLERANCE = 1e-10;
/** Halvings of a step whose linear predictor leaves the link's or family's domain. */
const MAX_HALVINGS = 30;

export interface IterationOutcome {
  /** The last working LMM that was fitted. */
  readonly last: WorkingLmmFit;
  /** Its linear predictor (or, where that left the domain, the one its working data came from); `response` holds mu etc. there. */
  readonly eta: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** The stopping rule's value at the last iteration. */
  readonly change: number;
  /** Why the iteration stopped early, when it did. */
  readonly stopped: FitWarning | null;
}

type Step = 'next' | 'converged' | FitWarning;

/**
 * The pseudo-likelihood iteration shared by PQL, MPL and REMPL: from a
 * starting linear predictor, repeat
 *   1. working response and weights at eta (one pass over the rows),
 *   2. their cross-products [Z X z]'W[Z X z] (one pass),
 *   3. the working LMM over theta (no pass: the cross-products are rescaled),
 *   4. the new eta = offset + X beta + Z b (one pass),
 * until the method's stopping rule holds or the iterations run out.
 */
export class PseudoLikelihoodIteration {
  readonly re: RandomEffectsStructure;
  readonly response: WorkingResponse;
  readonly lmm: WorkingLmm;
  readonly optimizerName: string;
  private readonly search: (warm: boolean) => WorkingLmmSearch;
  /** Throws FitAbortedError once the caller's signal fires; also checked at every evaluation of the working LMM. */
  private readonly checkAbort: () => void;
  /** The current linear predictor, whose working data the next LMM fits. */
  private eta: Float64Array;
  private other: Float64Array;
  /** The eta whose working data gave the last good working LMM (to restore it). */
  private readonly etaOfLast: Float64Array;
  private theta: Float64Array;
  private last: WorkingLmmFit | null = null;
  private iterations = 0;
  private change = Infinity;

  constructor(
    private readonly problem: FitProblem,
    private readonly settings: ResolvedSettings,
  ) {
    const { model, family, link, options, signal } = problem;
    const checkAbort = (): void => {
      if (signal?.aborted) throw new FitAbortedError(signal.reason);
    };
    this.checkAbort = checkAbort;
    this.re = new RandomEffectsStructure(model, problem.covariances);
    this.response = new WorkingResponse(model, family, link);
    this.lmm = new WorkingLmm(this.re, { reml: settings.spec.reml, knownDispersion: settings.estimateDispersion ? null : 1 }, checkAbort);
    const optimizer = pickOptimizer(problem.optimizers, ['bobyqa', 'nelder-mead']);
    this.optimizerName = optimizer.name;
    this.search = (warm) => ({ optimizer, warm, maxEvaluations: options.maxEvaluations, thetaTolerance: THETA_TOLERANCE });
    this.eta = new Float64Array(model.n);
    this.other = new Float64Array(model.n);
    this.etaOfLast = new Float64Array(model.n);
    this.theta = this.re.initialTheta();
  }

  run(): IterationOutcome {
    const { spec, iterations } = this.settings;
    this.problem.onProgress?.({ stage: 'start', message: spec.start === 'glm' ? 'GLM fit of the fixed effects' : 'starting mean' });
    this.eta = this.startingEta();
    let step: Step = 'next';
    for (let iteration = 1; iteration <= iterations && step === 'next'; iteration++) step = this.step(iteration, iteration === iterations);
    return this.outcome(step === 'converged', typeof step === 'object' ? step : null);
  }

  /** One iteration: the working LMM at the current working data, the new eta, and the next working data. */
  private step(iteration: number, final: boolean): Step {
    const { spec, tolerance } = this.settings;
    const { lmm, response, re } = this;
    this.checkAbort();
    lmm.accumulate(response.w, response.z);
    const fit = fitWorkingLmm(lmm, this.theta, this.search(iteration > 1));
    if (!fit) return this.failedAt(iteration);
    this.last = fit;
    this.theta = fit.theta;
    this.iterations = iteration;
    this.etaOfLast.set(this.eta);
    linearPredictor(re, fit, this.other);
    this.change = spec.rule.change(this.eta, this.other);
    [this.eta, this.other] = [this.other, this.eta];
    this.problem.onProgress?.({
      stage: 'iteration',
      iteration,
      evaluations: lmm.evaluations,
      deviance: fit.solution.deviance,
      message: `${spec.method} iteration ${iteration}: change in eta ${this.change.toPrecision(3)}`,
    });
    if (spec.rule.converged(this.change, tolerance)) return 'converged';
    if (final) return 'next';
    // A linear predictor outside the domain is pulled back towards the previous one (now in `other`).
    return stepInto(response, this.eta, this.other) ? 'next' : domainWarning(spec.method, this.problem.link.name, this.problem.family.name);
  }

  /** The working LMM is not positive definite: back to the last one, or an error if there is none. */
  private failedAt(iteration: number): Step {
    const method = this.settings.spec.method;
    const last = this.last;
    if (!last) throw new GlmmInputError(`${method}: the working linear mixed model is not positive definite at the start; check for redundant predictors`);
    this.response.update(this.etaOfLast);
    this.lmm.accumulate(this.response.w, this.response.z);
    this.lmm.solve(last.theta, true);
    linearPredictor(this.re, last, this.eta);
    return workingModelWarning(method, iteration);
  }

  /** The response at the last LMM's linear predictor, or where its working data came from if that left the domain. */
  private outcome(converged: boolean, stopped: FitWarning | null): IterationOutcome {
    const last = this.last;
    if (!last) throw new Error('no pseudo-likelihood iteration ran');
    if (!this.response.update(this.eta)) {
      this.eta.set(this.etaOfLast);
      this.response.update(this.eta);
      stopped ??= domainWarning(this.settings.spec.method, this.problem.link.name, this.problem.family.name);
    }
    return { last, eta: this.eta, iterations: this.iterations, converged: converged && !stopped, change: this.change, stopped };
  }

  /** The first linear predictor, with the response's working values at it. */
  private startingEta(): Float64Array {
    const { model, family, link } = this.problem;
    const method = this.settings.spec.method;
    if (this.settings.spec.start === 'glm') return fitGlmStart(model, this.response).eta;
    const mu = this.muStart();
    if (!family.validMu(mu)) throw new GlmmInputError(`${method}: the starting mean (MuStart) is outside the ${family.name} family's range`);
    const eta = link.linkfun(mu);
    if (!this.response.update(eta)) throw new GlmmInputError(`${method}: the starting mean gives a linear predictor outside the ${link.name} link's range`);
    return eta;
  }

  private muStart(): Float64Array {
    const { model, family } = this.problem;
    const given = this.settings.muStart;
    if (given === null) return family.startingMu(model.y, model.weights);
    if (typeof given === 'number') return new Float64Array(model.n).fill(given);
    if (given.length !== model.n) throw new GlmmInputError(`${this.settings.spec.method}: MuStart has ${given.length} values for ${model.n} rows`);
    return Float64Array.from(given);
  }
}

/** out = offset + X beta + Z b of a working LMM's solution (b = Lambda u). */
function linearPredictor(re: RandomEffectsStructure, fit: WorkingLmmFit, out: Float64Array): void {
  const { n, p, X, offset } = re.model;
  fixedPredictor(X, fit.solution.beta, offset, n, p, out);
  re.addZb(re.applyLambda(re.lambdas(fit.theta), fit.solution.u), out);
}

/** Working data at eta, halving eta towards `previous` (valid) while it leaves the domain; false if it never returns. */
function stepInto(response: WorkingResponse, eta: Float64Array, previous: Float64Array): boolean {
  for (let h = 0; h <= MAX_HALVINGS; h++) {
    if (response.update(eta)) return true;
    for (let r = 0; r < eta.length; r++) eta[r] = 0.5 * (eta[r]! + previous[r]!);
  }
  return false;
}
