import type { Family, Link, ModelMatrices } from '@glmm/core';
import { workingWeight } from '@glmm/engine';
import { backwardSolve, choleskyInPlace, forwardSolve } from '@glmm/linalg';

export interface FusedGlmFit {
  beta: Float64Array;
  /** Lower Cholesky factor of X'WX at beta (column-major p x p), for whitening. */
  cholXtWX: Float64Array;
}

/**
 * IRLS steps from mustart.  The GLM only centres and scales the Laplace
 * search (whose Newton steps do not depend on that scaling), so two steps,
 * which bring beta close enough that the search needs no extra evaluation,
 * beat converging it: each further step is a full pass over the rows.
 */
const START_ITERATIONS = 2;
const MAX_HALVINGS = 20;

/**
 * The GLM without random effects (theta = 0) by IRLS, each iteration one
 * pass over the rows with the per-element link and family functions: X'WX,
 * X'Wz and the deviance accumulate side by side, so no n-length working
 * arrays exist.  It starts the Laplace fit where lme4 starts it (the GLM
 * estimate), with R_X for the whitened coordinates; it starts as R's
 * glm.fit does, from the family's mustart.  Null when the link or family
 * lacks per-element functions, or X'WX is singular.
 */
export function fusedGlm(model: ModelMatrices, family: Family, link: Link, maxIterations = START_ITERATIONS): FusedGlmFit | null {
  const evaluateAt = link.evaluateAt;
  const varianceAt = family.varianceAt;
  const devResidualAt = family.devResidualAt;
  if (!evaluateAt || !varianceAt || !devResidualAt) return null;
  // Converging to R's criterion needs the deviance; the default short start does not.
  const irls = new FusedIrls(model, { evaluateAt, varianceAt, devResidualAt }, maxIterations > START_ITERATIONS);
  // R's glm.fit start: eta = g(mustart), mustart from the family's initialize.
  return irls.run(link.linkfun(family.startingMu(model.y, model.weights)), maxIterations);
}

/** The per-element link and family functions the fused passes run on. */
interface RowFunctions {
  evaluateAt(eta: number, out: Float64Array): void;
  varianceAt(mu: number, out: Float64Array): void;
  devResidualAt(y: number, mu: number, wt: number): number;
}

/*
 * Rows go in chunks: per row only the link and family are evaluated (into
 * chunk buffers), then X'WX and X'Wz are dot products over the chunk in
 * registers, instead of p(p+1)/2 read-modify-writes of accumulators per row.
 */
const CHUNK = 2048;

/** IRLS in fused row passes; the state of the iteration lives in its fields. */
class FusedIrls {
  private readonly lo = new Float64Array(3);
  private readonly vo = new Float64Array(2);
  private readonly xtwx: Float64Array;
  private readonly xtwz: Float64Array;
  private readonly beta: Float64Array;
  private readonly trial: Float64Array;
  private readonly wBuf = new Float64Array(CHUNK);
  private readonly zBuf = new Float64Array(CHUNK);

  constructor(
    private readonly model: ModelMatrices,
    private readonly fns: RowFunctions,
    /** Whether passes sum the deviance (R's convergence criterion) rather than the weights. */
    private readonly deviance: boolean,
  ) {
    const p = model.p;
    this.xtwx = new Float64Array(p * p);
    this.xtwz = new Float64Array(p);
    this.beta = new Float64Array(p);
    this.trial = new Float64Array(p);
  }

  /**
   * Each pass at a trial beta also accumulates the normal equations there,
   * so an accepted step (the usual case) costs one pass, not two.
   */
  run(startEta: Float64Array, maxIterations: number): FusedGlmFit | null {
    const { beta, trial, xtwx, model } = this;
    const p = model.p;
    let dev = this.pass(beta, startEta);
    if (!Number.isFinite(dev)) return null;
    for (let it = 0; it < maxIterations; it++) {
      if (!this.solve()) return null;
      let newDev = this.pass(trial, null);
      if (!this.deviance) {
        // The short start: a step only has to land where the weights are finite.
        for (let h = 0; h < MAX_HALVINGS && !Number.isFinite(newDev); h++) newDev = this.halveTrial();
        if (!Number.isFinite(newDev)) return null;
        beta.set(trial);
        continue;
      }
      // The first step leaves mustart, whose deviance is nearly the saturated one,
      // so only a finite deviance is asked of it; later steps must decrease it
      // (step-halving toward the current beta).
      if (it === 0 && Number.isFinite(newDev)) dev = Infinity;
      for (let h = 0; h < MAX_HALVINGS && !(newDev <= dev * (1 + 1e-12) + 1e-12); h++) newDev = this.halveTrial();
      if (!(newDev <= dev * (1 + 1e-12) + 1e-12)) {
        if (it === 0) return null; // no decrease from the start: leave it to the general path
        this.pass(beta, null);
        break;
      }
      beta.set(trial);
      const change = it === 0 ? Infinity : Math.abs(newDev - dev) / (Math.abs(newDev) + 0.1);
      dev = newDev;
      // R's glm.fit criterion: the optimiser only starts here, and R_X is only its scaling.
      if (change < 1e-8) break;
    }
    for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) xtwx[a * p + c] = xtwx[c * p + a]!;
    if (!choleskyInPlace(xtwx, p)) return null;
    return { beta, cholXtWX: xtwx };
  }

  /** The trial beta halfway back to beta, and the pass there. */
  private halveTrial(): number {
    const p = this.model.p;
    for (let a = 0; a < p; a++) this.trial[a] = (this.trial[a]! + this.beta[a]!) / 2;
    return this.pass(this.trial, null);
  }

  /** The trial step: X'WX trial = X'Wz; false when X'WX is singular. */
  private solve(): boolean {
    const { xtwx, xtwz, trial } = this;
    const p = this.model.p;
    for (let a = 0; a < p; a++) for (let c = 0; c < a; c++) xtwx[a * p + c] = xtwx[c * p + a]!;
    if (!choleskyInPlace(xtwx, p)) return false;
    trial.set(xtwz);
    forwardSolve(xtwx, p, trial);
    backwardSolve(xtwx, p, trial);
    return true;
  }

  /**
   * One pass over the rows at beta b (or at the given eta): X'WX and X'Wz
   * there, and the deviance, or without `deviance` the sum of the working
   * weights instead, finite exactly when the step is usable (no log per row).
   */
  private pass(b: Float64Array, startEta: Float64Array | null): number {
    const { n, p, X, y, weights: pw, offset } = this.model;
    const { lo, vo, wBuf, zBuf, xtwx, xtwz } = this;
    const { evaluateAt, varianceAt, devResidualAt } = this.fns;
    xtwx.fill(0);
    xtwz.fill(0);
    let dev = 0;
    for (let r0 = 0; r0 < n; r0 += CHUNK) {
      const r1 = Math.min(n, r0 + CHUNK);
      for (let r = r0; r < r1; r++) {
        let eta = offset[r]!;
        if (startEta) eta = startEta[r]!;
        else for (let a = 0; a < p; a++) eta += X[a * n + r]! * b[a]!;
        evaluateAt(eta, lo);
        const mu = lo[0]!;
        const me = lo[1]!;
        const wi = pw[r]!;
        const yi = y[r]!;
        if (this.deviance) dev += devResidualAt(yi, mu, wi);
        varianceAt(mu, vo);
        const w = workingWeight(wi, me, vo[0]!);
        wBuf[r - r0] = w;
        if (!this.deviance) dev += w;
        zBuf[r - r0] = w * (eta - offset[r]! + (yi - mu) / me);
      }
      this.accumulateChunk(r0, r1);
    }
    return dev;
  }

  /** X'WX and X'Wz over rows r0 .. r1 - 1 from the chunk buffers. */
  private accumulateChunk(r0: number, r1: number): void {
    const { n, p, X } = this.model;
    const { wBuf, zBuf, xtwx, xtwz } = this;
    for (let a = 0; a < p; a++) {
      const xa = a * n;
      let sz = 0;
      for (let r = r0; r < r1; r++) sz += X[xa + r]! * zBuf[r - r0]!;
      xtwz[a]! += sz;
      for (let c = 0; c <= a; c++) {
        const xc = c * n;
        let sw = 0;
        for (let r = r0; r < r1; r++) sw += X[xa + r]! * X[xc + r]! * wBuf[r - r0]!;
        xtwx[c * p + a]! += sw;
      }
    }
  }
}
