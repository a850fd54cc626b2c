import { isCanonicalPair, type ModelMatrices } from '@glmm/core';
import { MixedSystem, type GlmResponse, type RandomEffectsStructure } from '@glmm/engine';

export interface PirlsOutcome {
  /** Sum of deviance residuals at the mode. */
  deviance: number;
  /** ||u||^2 at the mode. */
  sqrU: number;
  /** log det(Lambda'Z'WZ Lambda + I) with the weights at the mode. */
  ldL2: number;
  iterations: number;
  converged: boolean;
  /** Step-halving could not reduce the penalised deviance although the Newton step was not negligible. */
  halvingFailed: boolean;
  /** False when the system could not be factored (theta or beta far outside a sensible region). */
  ok: boolean;
}

const MAX_HALVINGS = 12;

/**
 * Penalised iteratively reweighted least squares (Bates et al. 2015, sec. 5):
 * finds the conditional mode of u given theta, and either a fixed beta
 * (the Laplace objective, lme4's nAGQ >= 1 inner loop) or beta jointly
 * (lme4's nAGQ = 0), with step-halving on the penalised deviance.
 * The five named steps of lme4's PIRLS appear in `run`.
 */
export class Pirls {
  readonly system: MixedSystem;
  readonly model: ModelMatrices;
  /** Current spherical random effects; warm start for the next call. */
  readonly u: Float64Array;
  /** Current fixed effects (input when not joint, output when joint). */
  readonly beta: Float64Array;
  readonly eta: Float64Array;
  private readonly etaFixed: Float64Array;
  private readonly b: Float64Array;
  private readonly work: Float64Array;
  private readonly rhs: Float64Array;
  private readonly uTry: Float64Array;
  private readonly betaTry: Float64Array;
  private readonly uOld: Float64Array;
  private readonly betaOld: Float64Array;

  constructor(
    readonly re: RandomEffectsStructure,
    readonly response: GlmResponse,
    readonly joint: boolean,
  ) {
    this.model = re.model;
    const n = this.model.n;
    const p = this.model.p;
    this.system = new MixedSystem(re, joint);
    this.u = new Float64Array(re.q);
    this.beta = new Float64Array(p);
    this.eta = new Float64Array(n);
    this.etaFixed = new Float64Array(n);
    this.b = new Float64Array(re.q);
    this.work = new Float64Array(n);
    this.rhs = new Float64Array(re.q + (joint ? p : 0));
    this.uTry = new Float64Array(re.q);
    this.betaTry = new Float64Array(p);
    this.uOld = new Float64Array(re.q);
    this.betaOld = new Float64Array(p);
    // One scalar term with beta held fixed: the factor is diagonal and each
    // group's mode is a scalar Newton step, so rows are visited in fused loops.
    this.scalar = !joint && re.nTerms === 1 && re.k[0] === 1;
    this.groupA = new Float64Array(this.scalar ? re.q : 0);
    this.groupB = new Float64Array(this.scalar ? re.q : 0);
  }

  private readonly scalar: boolean;
  /** Per group: sum w z^2 and sum w z (working response), for the scalar path. */
  private readonly groupA: Float64Array;
  private readonly groupB: Float64Array;

  /**
   * Canonical link: the working weights are the observed information, so each
   * step is a Newton step.  Asked of the response's family as it is now: a
   * family parameter replaces it (the negative binomial's Poisson limit is
   * canonical with the log link, the family at a finite shape is not).
   */
  private get newton(): boolean {
    return this.observedStep || isCanonicalPair(this.response.family, this.response.link);
  }

  /** Whether the last step was a Newton step on the observed information (see newtonTarget). */
  private observedStep = false;

  /** eta_fixed = X beta + offset. */
  private setFixed(beta: Float64Array): void {
    const { n, p, X, offset } = this.model;
    const ef = this.etaFixed;
    ef.set(offset);
    for (let a = 0; a < p; a++) {
      const ba = beta[a]!;
      if (ba === 0) continue;
      const xo = a * n;
      for (let r = 0; r < n; r++) ef[r]! += X[xo + r]! * ba;
    }
  }

  /** Sets eta from (u, beta) and returns the penalised deviance. */
  private evaluate(lambdas: readonly Float64Array[], u: Float64Array, beta: Float64Array): number {
    if (this.joint) this.setFixed(beta);
    if (this.scalar) {
      const term = this.re.terms[0]!;
      const z = term.columns[0]!;
      const idx = term.index;
      const lam = lambdas[0]![0]!;
      const eta = this.eta;
      const ef = this.etaFixed;
      for (let r = 0; r < eta.length; r++) eta[r] = ef[r]! + lam * z[r]! * u[idx[r]!]!;
    } else {
      this.re.applyLambda(lambdas, u, this.b);
      this.eta.set(this.etaFixed);
      this.re.addZb(this.b, this.eta);
    }
    const dev = this.response.setEta(this.eta);
    let s = 0;
    for (let i = 0; i < u.length; i++) s += u[i]! * u[i]!;
    return dev + s;
  }

  /**
   * Runs PIRLS at theta.  With `beta` given (not joint) it is held fixed.
   * Starts from the current `this.u` (and `this.beta` when joint).
   */
  run(theta: Float64Array, beta: Float64Array | null, maxIterations: number, tol = 1e-10): PirlsOutcome {
    const re = this.re;
    const lambdas = re.lambdas(theta);
    if (!this.joint) {
      if (!beta) throw new Error('PIRLS with fixed beta needs beta');
      this.beta.set(beta);
      this.setFixed(beta);
    }
    let pdev = this.evaluate(lambdas, this.u, this.beta);
    if (!Number.isFinite(pdev)) return this.failed();
    let converged = false;
    let halvingFailed = false;
    let iterations = 0;
    for (; iterations < maxIterations; iterations++) {
      // 1-4. update weights, decomposition and residuals; solve.
      const rhs = this.rhs;
      if (!this.newtonTarget(lambdas, rhs)) return this.failed();
      // 5. update mu, with step-halving on the penalised deviance.
      // Converged when the full Newton (or Fisher-scoring) step is negligible:
      // a small change in the penalised deviance is not enough, because the
      // Laplace objective is not stationary in u where the penalised deviance is
      // (non-canonical links, dispersion families), so u itself must settle.
      // A negligible step is taken without a decrease test, since at that
      // scale the penalised deviance only moves by rounding.
      this.uOld.set(this.u);
      this.betaOld.set(this.beta);
      const { stepMax, uMax } = this.stepSize(rhs);
      const negligible = stepMax <= tol * (1 + uMax);
      const step = this.halvedStep(lambdas, rhs, pdev, negligible);
      if (step === 0) {
        // Restore the last accepted state: the step could not reduce the penalised deviance.
        this.evaluate(lambdas, this.uOld, this.betaOld);
        halvingFailed = stepMax > Math.sqrt(tol) * (1 + uMax);
        converged = !halvingFailed;
        break;
      }
      pdev = this.lastTry;
      this.u.set(this.uTry);
      this.beta.set(this.betaTry);
      // With the canonical link PIRLS is Newton's method, so after a full step
      // of size s the next one is O(s^2): stop now instead of computing it.
      if (this.newton && step === 1 && stepMax <= 0.01 * Math.sqrt(tol) * (1 + uMax)) {
        converged = true;
        iterations++;
        break;
      }
      if (negligible) {
        converged = true;
        iterations++;
        break;
      }
    }
    return this.atMode(lambdas, iterations, converged, halvingFailed);
  }

  /** The weights and factor at the mode, for the log-determinant, and the outcome. */
  private atMode(lambdas: readonly Float64Array[], iterations: number, converged: boolean, halvingFailed: boolean): PirlsOutcome {
    const q = this.re.q;
    const n = this.model.n;
    this.response.updateModeWeights(this.eta);
    if (this.scalar) this.scalarFactor(lambdas, false);
    else {
      this.system.accumulate(this.response.weights);
      if (this.system.factor(lambdas) >= 0) return this.failed();
    }
    let sqrU = 0;
    for (let i = 0; i < q; i++) sqrU += this.u[i]! * this.u[i]!;
    let deviance = 0;
    for (let i = 0; i < n; i++) deviance += this.response.devRes[i]!;
    return { deviance, sqrU, ldL2: this.system.logDetZ(), iterations, converged, halvingFailed, ok: true };
  }

  /** Largest change the full step makes to (u, beta) and the largest |u|, |beta| now. */
  private stepSize(rhs: Float64Array): { stepMax: number; uMax: number } {
    const q = this.re.q;
    const p = this.model.p;
    let stepMax = 0;
    let uMax = 0;
    for (let i = 0; i < q; i++) {
      stepMax = Math.max(stepMax, Math.abs(rhs[i]! - this.uOld[i]!));
      uMax = Math.max(uMax, Math.abs(this.uOld[i]!));
    }
    if (this.joint)
      for (let a = 0; a < p; a++) {
        stepMax = Math.max(stepMax, Math.abs(rhs[q + a]! - this.betaOld[a]!));
        uMax = Math.max(uMax, Math.abs(this.betaOld[a]!));
      }
    return { stepMax, uMax };
  }

  /** The penalised deviance at the step `halvedStep` accepted last. */
  private lastTry = NaN;

  /**
   * Step 5: the step toward the target in rhs from (uOld, betaOld), halved
   * until the penalised deviance does not increase (or at once when the
   * step is negligible), left in uTry/betaTry with its deviance in lastTry;
   * the step length taken, or 0 when no halving was accepted.
   */
  private halvedStep(lambdas: readonly Float64Array[], rhs: Float64Array, pdev: number, negligible: boolean): number {
    const q = this.re.q;
    const p = this.model.p;
    let step = 1;
    for (let h = 0; h <= MAX_HALVINGS; h++, step /= 2) {
      for (let i = 0; i < q; i++) this.uTry[i] = this.uOld[i]! + step * (rhs[i]! - this.uOld[i]!);
      if (this.joint)
        for (let a = 0; a < p; a++) this.betaTry[a] = this.betaOld[a]! + step * (rhs[q + a]! - this.betaOld[a]!);
      else this.betaTry.set(this.beta);
      const tryDev = this.evaluate(lambdas, this.uTry, this.betaTry);
      if (Number.isFinite(tryDev) && (negligible || tryDev <= pdev + 1e-12 * Math.abs(pdev))) {
        this.lastTry = tryDev;
        return step;
      }
    }
    return 0;
  }

  /**
   * Steps 1-4 of PIRLS: working weights, decomposition, working residuals and
   * the solve, writing the full-step target (u, and beta when joint) into rhs.
   */
  private newtonTarget(lambdas: readonly Float64Array[], rhs: Float64Array): boolean {
    const response = this.response;
    // With the observed information (a family parameter fitted by ML) the
    // step is Newton's on the penalised deviance, quadratically convergent
    // under any link, where its system is positive definite; else (and
    // otherwise) the Fisher-scoring step on the working weights.
    if (response.observedInformation && response.hasObservedInformation) {
      response.updateModeWeights(this.eta);
      this.observedStep = true;
      if (this.solveTarget(lambdas, rhs, true)) return true;
    }
    this.observedStep = false;
    response.updateWeights(this.eta);
    return this.solveTarget(lambdas, rhs, false);
  }

  /**
   * The full-step target from the weights the response holds: with
   * `observed`, the score term pw mu' (y - mu) / V stands beside the
   * weights (equal to w (y - mu) / mu' for the working weights only), and a
   * system that is not positive definite is refused (false).
   */
  private solveTarget(lambdas: readonly Float64Array[], rhs: Float64Array, observed: boolean): boolean {
    const re = this.re;
    const q = re.q;
    const p = this.model.p;
    const n = this.model.n;
    if (this.scalar) {
      if (!this.scalarFactor(lambdas, true, observed)) return false;
      const lam = lambdas[0]![0]!;
      const A = this.groupA;
      const B = this.groupB;
      // (lam^2 A_j + 1) u_j = lam B_j: the diagonal system, solved per group.
      for (let j = 0; j < q; j++) rhs[j] = (lam * B[j]!) / (lam * lam * A[j]! + 1);
      return true;
    }
    this.system.accumulate(this.response.weights);
    if (this.system.factor(lambdas) >= 0) return false;
    const w = this.response.weights;
    const work = this.work;
    if (observed) {
      this.scoreTerm(work);
      for (let r = 0; r < n; r++) work[r]! += w[r]! * (this.eta[r]! - this.etaFixed[r]!);
    } else {
      this.response.workingResidual(work);
      for (let r = 0; r < n; r++) work[r] = w[r]! * (this.eta[r]! - this.etaFixed[r]! + work[r]!);
    }
    if (this.joint) {
      // Joint: the fixed part excludes X beta, so add it back.
      const { X } = this.model;
      for (let a = 0; a < p; a++) {
        const ba = this.beta[a]!;
        const xo = a * n;
        for (let r = 0; r < n; r++) work[r]! += w[r]! * X[xo + r]! * ba;
      }
    }
    re.ztv(work, rhs.subarray(0, q));
    re.applyLambdaT(lambdas, rhs.subarray(0, q));
    if (this.joint) {
      const { X } = this.model;
      for (let a = 0; a < p; a++) {
        let s = 0;
        const xo = a * n;
        for (let r = 0; r < n; r++) s += X[xo + r]! * work[r]!;
        rhs[q + a] = s;
      }
    }
    this.system.chol.solveL(rhs);
    this.system.chol.solveLt(rhs);
    return true;
  }

  /**
   * The scalar path's decomposition in one pass over the rows: per group
   * A_j = sum w z^2 (and, with `residuals`, B_j = sum w z (Z b + working
   * residual)); the factor's diagonal sqrt(lam^2 A_j + 1) is written into the
   * block factor so the log-determinant, conditional SDs and AGQ read it as usual.
   */
  private scalarFactor(lambdas: readonly Float64Array[], residuals: boolean, observed = false): boolean {
    const term = this.re.terms[0]!;
    const z = term.columns[0]!;
    const idx = term.index;
    const lam = lambdas[0]![0]!;
    const { y } = this.model;
    const { weights: w, mu, muEta } = this.response;
    const A = this.groupA.fill(0);
    const B = this.groupB.fill(0);
    const u = this.u;
    const n = this.model.n;
    if (residuals && observed) {
      const score = this.scoreTerm(this.work);
      for (let r = 0; r < n; r++) {
        const j = idx[r]!;
        const zr = z[r]!;
        const wz = w[r]! * zr;
        A[j]! += wz * zr;
        B[j]! += wz * lam * zr * u[j]! + zr * score[r]!;
      }
      for (let j = 0; j < A.length; j++) if (!(lam * lam * A[j]! + 1 > 0)) return false;
    } else if (residuals) {
      for (let r = 0; r < n; r++) {
        const j = idx[r]!;
        const zr = z[r]!;
        const wz = w[r]! * zr;
        A[j]! += wz * zr;
        B[j]! += wz * (lam * zr * u[j]! + (y[r]! - mu[r]!) / muEta[r]!);
      }
    } else {
      for (let r = 0; r < n; r++) {
        const zr = z[r]!;
        A[idx[r]!]! += w[r]! * zr * zr;
      }
    }
    const L = this.system.chol.values;
    const diag = this.system.pattern.diagOffset;
    for (let j = 0; j < A.length; j++) L[diag[j]!] = Math.sqrt(lam * lam * A[j]! + 1);
    return true;
  }

  /** pw mu' (y - mu) / V per row, into out: half the negative eta-derivative of -2 log p. */
  private scoreTerm(out: Float64Array): Float64Array {
    const { y, weights: pw } = this.model;
    const { mu, muEta, variance } = this.response;
    for (let r = 0; r < out.length; r++) out[r] = (pw[r]! * muEta[r]! * (y[r]! - mu[r]!)) / variance[r]!;
    return out;
  }

  private failed(): PirlsOutcome {
    return {
      deviance: Infinity,
      sqrU: Infinity,
      ldL2: Infinity,
      iterations: 0,
      converged: false,
      halvingFailed: false,
      ok: false,
    };
  }
}
