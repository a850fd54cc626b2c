export type WarningCode =
  | 'singular-fit'
  | 'not-converged'
  | 'boundary-correlation'
  | 'pirls-step-halving'
  | 'separation'
  | 'hessian-not-positive-definite'
  | 'rows-excluded'
  | 'few-groups'
  | 'rank-deficient-fixed-effects'
  | 'large-eigenvalue-ratio'
  /** A pseudo-likelihood fit (PQL, MPL, REMPL): its logLik, AIC and BIC are not a likelihood's. */
  | 'pseudo-likelihood'
  | 'groups-of-size-one'
  | 'more-random-effects-than-observations'
  | 'perfect-fit'
  | 'variance-at-floor'
  | 'small-clusters';

/** A numerical or data problem that did not stop the fit. */
export interface FitWarning {
  readonly code: WarningCode;
  readonly message: string;
  /** What the user can do about it. */
  readonly advice: string;
}
