import type { FitProgress } from '@glmm/core';

/** What the page asks the worker to fit. */
export interface FitJob {
  readonly csv: string;
  readonly formula: string;
  readonly family: string;
  /** Empty: the family's default (REML for gaussian, Laplace otherwise). */
  readonly method: string;
  readonly categorical: readonly string[];
}

/** The numbers the page shows and the test compares with a Node fit. */
export interface FitNumbers {
  readonly fixedEffects: readonly { name: string; estimate: number; stdError: number }[];
  readonly theta: readonly number[];
  readonly logLik: number;
  readonly deviance: number;
  readonly fitSeconds: number;
}

/** Messages from the worker: progress events, then the report or an error. */
export type WorkerMessage =
  | { readonly type: 'progress'; readonly stage: string; readonly progress?: FitProgress }
  | { readonly type: 'done'; readonly html: string; readonly numbers: FitNumbers; readonly reportSeconds: number }
  | { readonly type: 'error'; readonly message: string };
