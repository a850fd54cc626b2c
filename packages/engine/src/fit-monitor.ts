import { FitAbortedError, type FitStage, type ProgressCallback } from '@glmm/core';

/**
 * Progress and cancellation of one fit (FitProblem.onProgress and .signal):
 * estimators report stages through it, the optimisation driver reports each
 * outer iteration, and every guarded evaluation first checks the signal, so
 * an aborted fit throws FitAbortedError at its next evaluation.
 */
export class FitMonitor {
  private iteration = 0;

  constructor(
    private readonly onProgress: ProgressCallback | undefined,
    private readonly signal: AbortSignal | undefined,
    /** Objective evaluations so far, as the deviance object counts them. */
    private readonly evaluations: () => number = () => 0,
  ) {}

  /** Throws FitAbortedError when the caller's signal has fired. */
  check(): void {
    if (this.signal?.aborted) throw new FitAbortedError(this.signal.reason);
  }

  stage(stage: Exclude<FitStage, 'iteration'>, message?: string): void {
    this.check();
    this.onProgress?.({ stage, evaluations: this.evaluations(), ...(message ? { message } : {}) });
  }

  /** One outer iteration of any search of the fit (numbered across searches), with the deviance reached. */
  iterationDone(deviance: number, message?: string): void {
    this.check();
    this.iteration++;
    this.onProgress?.({
      stage: 'iteration',
      iteration: this.iteration,
      evaluations: this.evaluations(),
      deviance,
      ...(message ? { message } : {}),
    });
  }

  /** The function with the signal checked before every call. */
  guard<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
    if (!this.signal) return f;
    return (...args: A) => {
      this.check();
      return f(...args);
    };
  }
}
