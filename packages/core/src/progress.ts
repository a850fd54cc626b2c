/**
 * Progress of a fit, reported to the caller's `onProgress` callback.  One
 * shape for every estimator and data source, so that the CLI's progress line,
 * a web worker's progress bar and a database source's pass counter read the
 * same events.
 */
export type FitStage =
  /** Building the model frame (reading columns, encoding, exclusions). */
  | 'model-frame'
  /** Starting values (GLM fit, moment estimates). */
  | 'start'
  /** One iteration of the outer optimiser, with the deviance reached. */
  | 'iteration'
  /** One pass over the rows of an external data source. */
  | 'data-pass'
  /** Standard errors, conditional modes and the results. */
  | 'finalise';

export interface FitProgress {
  readonly stage: FitStage;
  /** Outer iteration (stage "iteration") or pass number (stage "data-pass"), from 1. */
  readonly iteration?: number;
  /** Objective evaluations so far. */
  readonly evaluations?: number;
  /** Objective (deviance or REML criterion) at the current point. */
  readonly deviance?: number;
  /** Rows read so far (stage "model-frame" or "data-pass"). */
  readonly rowsScanned?: number;
  /** A short human-readable note, e.g. the optimiser's name. */
  readonly message?: string;
}

export type ProgressCallback = (progress: FitProgress) => void;
