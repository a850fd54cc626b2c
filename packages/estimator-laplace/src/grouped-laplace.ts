import { isCanonicalPair, linkStaysInMeanSpace, type Family, type Link, type ModelMatrices } from '@glmm/core';
import { fastExp } from '@glmm/distributions';
import { workingWeight } from '@glmm/engine';

/** The per-element link and family functions the fused kernel runs on. */
interface RowFunctions {
  evaluateAt(eta: number, out: Float64Array): void;
  varianceAt(mu: number, out: Float64Array): void;
  devResidualAt(y: number, mu: number, wt: number): number;
}

/** Newton iterations allowed per group before the evaluation is declared failed. */
const MAX_GROUP_ITERATIONS = 60;
/**
 * A Newton step this small (relative to 1 + |u|) is the last one: with the
 * observed curvature the error left is about its square times
 * |F'''| / 2F'' (~theta / 2 here), ~1e-8 at most, and the Laplace deviance
 * moves by that times d log|L|^2 / du per group, with random signs over
 * groups: far below what the optimiser resolves.
 */
const LAST_STEP = 1e-4;
/** log(DBL_EPSILON): below it the log link holds mu at DBL_EPSILON. */
const LOG_EPSILON = Math.log(2.220446049250313e-16);
/** The largest change of theta z u (on the link scale) one Newton step may make. */
const MAX_ETA_STEP = 4;
/** Stopping rule when the curvature was not the observed one (no quadratic convergence to lean on). */
const TINY_STEP = 1e-12;

/**
 * The Laplace deviance of a GLMM with ONE scalar random-effects term (a random
 * intercept or a single slope) and no dispersion parameter, with its exact
 * gradient, in one sweep over the data.
 *
 * Given theta and beta the conditional modes of different groups are
 * independent, so the rows are stored once, grouped by level, and each
 * group is solved on its own while its rows sit in cache: a safeguarded
 * scalar Newton iteration on
 *
 *   F_j(u) = sum_{i in j} d_i(x_i'beta + o_i + theta z_i u) + u^2,
 *
 * then one more pass over the group at the mode that accumulates its
 * deviance, its log-determinant term log(1 + theta^2 sum z^2 w) and the
 * group sums of the gradient (the implicit derivative du_j/d(theta, beta)
 * is a scalar per group; see ScalarTermGradient for the derivation).
 * Per row and iteration this costs one link evaluation, where the general
 * PIRLS streams ~six arrays through memory; no n-length temporaries exist.
 *
 * It needs the links' and families' per-element functions (Link.evaluateAt,
 * Family.varianceAt and devResidualAt); `create` returns null without them.
 */
export class GroupedLaplace {
  /** Conditional modes (spherical u) at the last evaluation, one per level. */
  readonly u: Float64Array;
  evaluations = 0;
  /** Groups whose Newton iteration did not converge, summed over evaluations. */
  failures = 0;
  private readonly n: number;
  private readonly p: number;
  private readonly nl: number;
  private readonly start: Int32Array;
  /** Original row of each grouped position. */
  private readonly perm: Int32Array;
  /** Newton stops after a step this small (relative); tightened for the final state. */
  lastStep = LAST_STEP;
  /** The next evaluation starts from `u` as it is, not from a prediction (see startFrom). */
  private keepModes = false;

  /**
   * Starts the next evaluation's Newton iterations from these modes (say,
   * saved at the same point earlier) instead of predicting them from the
   * last evaluation.
   */
  startFrom(modes: Float64Array): void {
    this.u.set(modes);
    this.keepModes = true;
  }
  private readonly z: Float64Array;
  private readonly y: Float64Array;
  private readonly pw: Float64Array;
  private readonly off: Float64Array;
  /** X with rows in group order, column-major. */
  private readonly X: Float64Array;
  private readonly ef: Float64Array;
  /** Per-row terms of the group at its mode: s, z^2 w', z h and h. */
  private readonly sBuf: Float64Array;
  private readonly wpBuf: Float64Array;
  private readonly hBuf: Float64Array;
  private readonly hRaw: Float64Array;
  private readonly linkOut = new Float64Array(3);
  private readonly varOut = new Float64Array(2);
  private readonly sx: Float64Array;
  private readonly wx: Float64Array;
  private readonly hx: Float64Array;
  /** Hessian accumulators: sum h x x' less the groups' Schur terms, and the theta-beta block. */
  private readonly hxx: Float64Array;
  private readonly hTB: Float64Array;
  private readonly gBeta: Float64Array;
  /** Accumulators of the current evaluation (fields, so the group loop can live in its own method). */
  private accTotal = 0;
  private accGTheta = 0;
  private accHTT = 0;
  /** du_j/dtheta and du_j/dbeta_k at the last evaluation, to predict the next modes. */
  private readonly duDtheta: Float64Array;
  private readonly duDbeta: Float64Array;
  private readonly at: Float64Array;
  private readonly uAt: Float64Array;
  private hasDerivatives = false;
  /** Poisson family, log link, random intercept: groups may use their sufficient statistics. */
  private readonly separable: boolean;
  /** Per group: sum w y, sum w y x (group-major) and 2 sum w (y log y - y), constants of the data. */
  private readonly groupY: Float64Array;
  private readonly groupYX: Float64Array;
  private readonly groupC: Float64Array;
  /** The last group's summary at its mode (see rowWiseSummary). */
  private gU = 0;
  private gDev = 0;
  private gA = 0;
  private gH = 0;
  private gWpz = 0;
  private gSz = 0;

  static create(model: ModelMatrices, family: Family, link: Link, saturated: number): GroupedLaplace | null {
    if (family.hasDispersion || model.terms.length !== 1 || model.terms[0]!.columns.length !== 1) return null;
    if (!link.evaluateAt || !family.varianceAt || !family.devResidualAt) return null;
    // The fused loops have no validity checks: every mu the link gives must be a valid mean.
    if (!linkStaysInMeanSpace(family, link)) return null;
    const fns: RowFunctions = {
      evaluateAt: link.evaluateAt,
      varianceAt: family.varianceAt,
      devResidualAt: family.devResidualAt,
    };
    const term = model.terms[0]!;
    // The Poisson kind with its canonical (log) link: a random intercept's groups need only sums.
    const separable = family.logLinearWithCanonicalLink === true && isCanonicalPair(family, link) && term.columns[0]!.every((v) => v === 1);
    return new GroupedLaplace(model, fns, saturated, separable);
  }

  private constructor(
    model: ModelMatrices,
    private readonly fns: RowFunctions,
    /** -2 log p(y | mu = y): the constant that turns the deviance into -2 log-likelihood. */
    private readonly saturated: number,
    separable: boolean,
  ) {
    const n = model.n;
    const p = model.p;
    const term = model.terms[0]!;
    const nl = term.levels.length;
    this.n = n;
    this.p = p;
    this.nl = nl;
    const { start, perm } = groupOrder(term.index, nl);
    this.start = start;
    this.perm = perm;
    this.z = permuted(term.columns[0]!, perm);
    this.y = permuted(model.y, perm);
    this.pw = permuted(model.weights, perm);
    this.off = permuted(model.offset, perm);
    this.X = new Float64Array(n * p);
    for (let a = 0; a < p; a++) permuteInto(model.X.subarray(a * n, (a + 1) * n), perm, this.X.subarray(a * n, (a + 1) * n));
    let largest = 0;
    for (let j = 0; j < nl; j++) largest = Math.max(largest, start[j + 1]! - start[j]!);
    this.ef = new Float64Array(largest);
    this.sBuf = new Float64Array(largest);
    this.wpBuf = new Float64Array(largest);
    this.hBuf = new Float64Array(largest);
    this.hRaw = new Float64Array(largest);
    this.u = new Float64Array(nl);
    this.sx = new Float64Array(p);
    this.wx = new Float64Array(p);
    this.hx = new Float64Array(p);
    this.hxx = new Float64Array(p * p);
    this.hTB = new Float64Array(p);
    this.gBeta = new Float64Array(p);
    this.duDtheta = new Float64Array(nl);
    this.duDbeta = new Float64Array(nl * p);
    this.at = new Float64Array(1 + p);
    this.uAt = new Float64Array(nl);
    this.separable = separable;
    this.groupY = new Float64Array(separable ? nl : 0);
    this.groupYX = new Float64Array(separable ? nl * p : 0);
    this.groupC = new Float64Array(separable ? nl : 0);
    if (separable) poissonGroupConstants(this.X, n, p, this.y, this.pw, start, this.groupY, this.groupYX, this.groupC);
  }

  /**
   * Laplace deviance (-2 log-likelihood approximation, lme4's nAGQ = 1) at
   * (theta, beta), with its gradient in `grad` (length 1 + p: d/dtheta, then
   * d/dbeta).  Infinity (and the gradient undefined) when a group's mode cannot be found.
   * With `hess` ((1 + p)^2, column-major) it also writes an approximate
   * Hessian: exact for the penalised deviance minimised over u, with the
   * log-determinant's curvature in theta taken at fixed weights (its
   * third-derivative terms are left out).  It steers Newton steps; standard
   * errors come from differences of the exact gradient instead.
   */
  evaluate(theta: number, beta: Float64Array, grad: Float64Array, hess: Float64Array | null = null): number {
    this.evaluations++;
    const p = this.p;
    if (this.hasDerivatives && !this.keepModes) this.predictModes(theta, beta);
    this.keepModes = false;
    this.accTotal = this.saturated;
    this.accGTheta = 0;
    this.accHTT = 0;
    this.gBeta.fill(0);
    this.hTB.fill(0);
    const hxx = hess ? this.hxx.fill(0) : null;
    // The group loop lives in its own method: V8 compiles a long loop while it
    // runs (OSR), and code after the loop in the same function would then
    // have no type feedback and deoptimise on every later call.
    if (!this.groups(theta, beta, hxx)) return Infinity;
    if (hess && hxx) this.writeHessian(hess, hxx);
    grad[0] = this.accGTheta;
    grad.set(this.gBeta, 1);
    this.at[0] = theta;
    this.at.set(beta.subarray(0, p), 1);
    this.uAt.set(this.u);
    this.hasDerivatives = true;
    return this.accTotal;
  }

  /** Every group's mode and its contributions to the value, gradient and (with hxx) Hessian; false on failure. */
  private groups(theta: number, beta: Float64Array, hxx: Float64Array | null): boolean {
    const { p, nl, start, u, sx, wx, hx, gBeta, hTB } = this;
    const th2 = theta * theta;
    let total = 0;
    let gTheta = 0;
    let hTT = 0;
    for (let j = 0; j < nl; j++) {
      const s0 = start[j]!;
      const s1 = start[j + 1]!;
      const m = s1 - s0;
      this.fixedPart(s0, m, beta);
      // Poisson-log intercepts from the group's sufficient statistics (O(1)
      // per Newton step); the row-wise path otherwise, or when eta leaves the
      // range where exp needs no clamping.
      if (!(this.separable && this.separableGroup(j, s0, m, theta, hxx))) {
        // From the predicted mode, else the last mode, else 0 (the GLM point).
        let mode = this.solveGroup(s0, m, theta, u[j]!);
        if (Number.isNaN(mode)) mode = this.solveGroup(s0, m, theta, this.uAt[j]!);
        if (Number.isNaN(mode)) mode = this.solveGroup(s0, m, theta, 0);
        if (Number.isNaN(mode)) {
          this.failures++;
          return false;
        }
        this.rowWiseSummary(s0, m, theta, mode, hxx);
      }
      const { gU: uj, gDev: dev, gA: A, gH: H, gWpz: Wpz, gSz: Sz } = this;
      if (!Number.isFinite(dev)) return false;
      const L2 = 1 + th2 * A;
      total += dev + uj * uj + Math.log(L2);
      // d/dtheta: the deviance is stationary in u (envelope theorem); the
      // log-determinant is not, and moves through du_j/dtheta.
      const Hg = th2 * H + 2;
      const Gu = (th2 * theta * Wpz) / L2;
      const duDtheta = -(theta * H * uj + Sz) / Hg;
      gTheta += Sz * uj + (2 * theta * A + th2 * Wpz * uj) / L2 + Gu * duDtheta;
      this.duDtheta[j] = duDtheta;
      const alpha = th2 / L2;
      const gamma = (Gu / Hg) * theta;
      for (let a = 0; a < p; a++) {
        gBeta[a]! += sx[a]! + alpha * wx[a]! - gamma * hx[a]!;
        this.duDbeta[j * p + a] = -(theta * hx[a]!) / Hg;
      }
      if (hxx) {
        // Group j's part of the Hessian of min_u F (exact: F_pp - F_pu F_up / F_uu),
        // plus the log-determinant's curvature in theta at fixed weights.
        const fuTheta = Sz + theta * uj * H;
        hTT += uj * uj * H - (fuTheta * fuTheta) / Hg + (2 * A * (1 - th2 * A)) / (L2 * L2);
        for (let a = 0; a < p; a++) {
          hTB[a]! += uj * hx[a]! - (fuTheta * theta * hx[a]!) / Hg;
          for (let c = 0; c <= a; c++) hxx[c * p + a]! -= (th2 * hx[a]! * hx[c]!) / Hg;
        }
      }
      u[j] = uj;
    }
    this.accTotal += total;
    this.accGTheta = gTheta;
    this.accHTT = hTT;
    return true;
  }

  /** The (1 + p)^2 Hessian, column-major, from its accumulated blocks. */
  private writeHessian(hess: Float64Array, hxx: Float64Array): void {
    const p = this.p;
    const d = 1 + p;
    hess[0] = this.accHTT;
    for (let a = 0; a < p; a++) {
      hess[1 + a] = this.hTB[a]!;
      hess[(1 + a) * d] = this.hTB[a]!;
      for (let c = 0; c <= a; c++) {
        hess[(1 + c) * d + 1 + a] = hxx[c * p + a]!;
        hess[(1 + a) * d + 1 + c] = hxx[c * p + a]!;
      }
    }
  }

  /** ef[k] = x_i'beta + o_i for the group's rows i = s0 + k. */
  private fixedPart(s0: number, m: number, beta: Float64Array): void {
    const { n, p, off, X, ef } = this;
    for (let k = 0; k < m; k++) {
      const i = s0 + k;
      let e = off[i]!;
      for (let a = 0; a < p; a++) e += X[a * n + i]! * beta[a]!;
      ef[k] = e;
    }
  }

  /**
   * Group summary at the mode uj by one pass over its rows: the deviance,
   * sum z^2 w (A), sum z^2 h (H), sum z^3 w' (Wpz), sum s z (Sz), the
   * x-weighted sums sx, wx, hx and, with `hxx`, sum h x x' added into it.
   */
  private rowWiseSummary(s0: number, m: number, theta: number, uj: number, hxx: Float64Array | null): void {
    const { n, p, z, y, pw, X, ef, sx, wx, hx, linkOut: lo, varOut: vo, sBuf, wpBuf, hBuf, hRaw } = this;
    const { evaluateAt, varianceAt, devResidualAt } = this.fns;
    let dev = 0;
    let A = 0;
    let H = 0;
    let Wpz = 0;
    let Sz = 0;
    for (let k = 0; k < m; k++) {
      const i = s0 + k;
      const zi = z[i]!;
      evaluateAt(ef[k]! + theta * zi * uj, lo);
      const mu = lo[0]!;
      const me = lo[1]!;
      const d2 = lo[2]!;
      varianceAt(mu, vo);
      const iv = 1 / vo[0]!;
      const dvdeta = vo[1]! * me;
      const wi = pw[i]!;
      const yi = y[i]!;
      const res = yi - mu;
      dev += devResidualAt(yi, mu, wi);
      const a = wi * me * iv;
      const s = -2 * a * res;
      const w = workingWeight(wi, me, vo[0]!);
      const h = 2 * (w - wi * res * iv * (d2 - me * dvdeta * iv));
      const wp = wi * me * iv * (2 * d2 - me * dvdeta * iv);
      const z2 = zi * zi;
      A += z2 * w;
      H += z2 * h;
      Wpz += z2 * zi * wp;
      Sz += s * zi;
      // The x-weighted sums are taken after the loop, column by column, in
      // registers: accumulating p arrays per row would be p read-modify-writes.
      sBuf[k] = s;
      wpBuf[k] = z2 * wp;
      hBuf[k] = zi * h;
      hRaw[k] = h;
    }
    for (let a = 0; a < p; a++) {
      const xo = a * n + s0;
      let ss = 0;
      let sw = 0;
      let sh = 0;
      for (let k = 0; k < m; k++) {
        const x = X[xo + k]!;
        ss += x * sBuf[k]!;
        sw += x * wpBuf[k]!;
        sh += x * hBuf[k]!;
      }
      sx[a] = ss;
      wx[a] = sw;
      hx[a] = sh;
    }
    if (hxx)
      for (let a = 0; a < p; a++) {
        const xa = a * n + s0;
        for (let c = 0; c <= a; c++) {
          const xc = c * n + s0;
          let acc = 0;
          for (let k = 0; k < m; k++) acc += X[xa + k]! * X[xc + k]! * hRaw[k]!;
          hxx[c * p + a]! += acc;
        }
      }
    this.gU = uj;
    this.gDev = dev;
    this.gA = A;
    this.gH = H;
    this.gWpz = Wpz;
    this.gSz = Sz;
  }

  /**
   * A Poisson random intercept with the log link: mu_i = E_i c with
   * E_i = exp(x_i'beta + o_i) and c = exp(theta u), so every quantity of the
   * group is a sufficient statistic of one pass (S = sum w E, sum w E x,
   * sum w E x x', sum w y eta_fixed) times a power of c, and the mode is a
   * scalar Newton iteration in O(1) per step, run to full precision.
   * Returns false (nothing written) when eta at the mode leaves the range in
   * which the log link's exp is not clamped, so the row-wise path, which
   * clamps as R does, takes the group.
   */
  private separableGroup(j: number, s0: number, m: number, theta: number, hxx: Float64Array | null): boolean {
    const { n, p, y, pw, X, ef, sx, wx, hx } = this;
    // Scale by the group's largest eta so that no exp overflows.
    let efMax = -Infinity;
    let efMin = Infinity;
    for (let k = 0; k < m; k++) {
      efMax = Math.max(efMax, ef[k]!);
      efMin = Math.min(efMin, ef[k]!);
    }
    if (!(efMax < 700 && efMin > -Infinity)) return false;
    let S = 0;
    let T = 0;
    const E = this.sBuf;
    for (let k = 0; k < m; k++) {
      const wi = pw[s0 + k]!;
      const e = wi * fastExp(ef[k]! - efMax);
      E[k] = e;
      S += e;
      T += wi * y[s0 + k]! * ef[k]!;
    }
    const Y = this.groupY[j]!;
    const uj = separableMode(theta, Y, S, efMax, this.u[j]!);
    if (Number.isNaN(uj)) return false;
    const tu = theta * uj;
    // The log link clamps mu at DBL_EPSILON and DBL_MAX; stay where it does not.
    if (!(efMin + tu > LOG_EPSILON && efMax + tu < 700)) return false;
    const c = fastExp(tu + efMax);
    const A = c * S;
    // x-weighted sums of w E (scaled back by c below) and, with hxx, of w E x x'.
    for (let a = 0; a < p; a++) {
      const xo = a * n + s0;
      let acc = 0;
      for (let k = 0; k < m; k++) acc += X[xo + k]! * E[k]!;
      const yx = this.groupYX[j * p + a]!;
      sx[a] = -2 * (yx - c * acc);
      wx[a] = c * acc;
      hx[a] = 2 * c * acc;
    }
    if (hxx)
      for (let a = 0; a < p; a++) {
        const xa = a * n + s0;
        for (let cc = 0; cc <= a; cc++) {
          const xc = cc * n + s0;
          let acc = 0;
          for (let k = 0; k < m; k++) acc += X[xa + k]! * X[xc + k]! * E[k]!;
          hxx[cc * p + a]! += 2 * c * acc;
        }
      }
    this.gU = uj;
    // The deviance residuals 2w(y log y - y - y eta + mu), summed.
    this.gDev = this.groupC[j]! - 2 * (T + tu * Y) + 2 * A;
    this.gA = A;
    this.gH = 2 * A;
    this.gWpz = A;
    this.gSz = -2 * (Y - A);
    return true;
  }

  /**
   * The mode of group j (rows s0 .. s0 + m - 1, their X beta + offset in
   * `ef`) by a safeguarded Newton iteration from `start`; NaN when it fails.
   * F_j'(u) = theta sum z s + 2u increases in u for the log-concave
   * likelihoods these links and families give, so a step that leaves the
   * bracket of the root found so far is replaced by bisection, and a point
   * outside the mean space (or an overflow) sends u back toward the last
   * finite one.
   */
  private solveGroup(s0: number, m: number, theta: number, start: number): number {
    const { z, y, pw, ef, linkOut: lo, varOut: vo } = this;
    const { evaluateAt, varianceAt } = this.fns;
    let uj = Number.isFinite(start) ? start : 0;
    let lower = -Infinity;
    let upper = Infinity;
    let lastFinite = Number.NaN;
    let zMax = 0;
    for (let k = 0; k < m; k++) zMax = Math.max(zMax, Math.abs(z[s0 + k]!));
    const maxStep = MAX_ETA_STEP / Math.max(Math.abs(theta) * zMax, 1e-300);
    for (let iter = 0; iter < MAX_GROUP_ITERATIONS; iter++) {
      let fp = 2 * uj;
      let fpp = 2;
      let fisher = 2;
      for (let k = 0; k < m; k++) {
        const i = s0 + k;
        const tz = theta * z[i]!;
        evaluateAt(ef[k]! + tz * uj, lo);
        const mu = lo[0]!;
        const me = lo[1]!;
        varianceAt(mu, vo);
        const iv = 1 / vo[0]!;
        const wi = pw[i]!;
        const res = y[i]! - mu;
        const a = wi * me * iv;
        fp -= 2 * tz * a * res;
        const tz2 = tz * tz;
        const w = workingWeight(wi, me, vo[0]!);
        fisher += 2 * tz2 * w;
        fpp += 2 * tz2 * (w - wi * res * iv * (lo[2]! - me * me * vo[1]! * iv));
      }
      if (!Number.isFinite(fp) || !Number.isFinite(fpp)) {
        if (Number.isNaN(lastFinite)) return Number.NaN;
        // The root lies between here and the last finite point.
        if (uj > lastFinite) upper = Math.min(upper, uj);
        else lower = Math.max(lower, uj);
        uj = (uj + lastFinite) / 2;
        continue;
      }
      lastFinite = uj;
      if (fp === 0) return uj;
      if (fp > 0) upper = Math.min(upper, uj);
      else lower = Math.max(lower, uj);
      const observed = fpp > 0;
      let step = -fp / (observed ? fpp : fisher);
      // At most a few units of eta per step: far from the mode a Newton step on
      // an exponential mean overshoots by orders of magnitude (and overflows).
      const capped = Math.abs(step) > maxStep;
      if (capped) step = step > 0 ? maxStep : -maxStep;
      let next = uj + step;
      if (!(next > lower && next < upper) && Number.isFinite(lower) && Number.isFinite(upper)) next = (lower + upper) / 2;
      const size = Math.abs(next - uj);
      const scale = 1 + Math.abs(uj);
      uj = next;
      // With the observed curvature convergence is quadratic: after a step
      // this small the next error is about its square.
      if (!capped && ((observed && size <= this.lastStep * scale) || size <= TINY_STEP * scale)) return uj;
    }
    return Number.NaN;
  }

  /**
   * A moment estimate of theta at beta (random effects absent), to start the
   * search near its answer rather than at lme4's theta = 1: with S_j the
   * score and I_j the Fisher information of group j's effect at u = 0,
   * E[S_j^2] = I_j + theta^2 I_j^2, so theta^2 ~ sum(S_j^2 - I_j) / sum(I_j^2)
   * (the DerSimonian-Laird idea).  One pass over the rows; never below
   * `floor`, because a start exactly on theta = 0 is a stationary point.
   */
  momentTheta(beta: Float64Array, floor: number): number {
    const { nl, start, z, y, pw, ef, linkOut: lo, varOut: vo } = this;
    const { evaluateAt, varianceAt } = this.fns;
    let num = 0;
    let den = 0;
    for (let j = 0; j < nl; j++) {
      let S = 0;
      let I = 0;
      const s0 = start[j]!;
      this.fixedPart(s0, start[j + 1]! - s0, beta);
      for (let i = s0; i < start[j + 1]!; i++) {
        const e = ef[i - s0]!;
        evaluateAt(e, lo);
        const mu = lo[0]!;
        const me = lo[1]!;
        varianceAt(mu, vo);
        const a = (pw[i]! * me) / vo[0]!;
        const zi = z[i]!;
        S += a * (y[i]! - mu) * zi;
        I += workingWeight(pw[i]!, me, vo[0]!) * zi * zi;
      }
      num += S * S - I;
      den += I * I;
    }
    const t2 = num / den;
    return Number.isFinite(t2) ? Math.max(Math.sqrt(Math.max(t2, 0)), floor) : 1;
  }

  /**
   * Writes the per-row state at the modes of the last evaluation, in the
   * original row order: the linear predictor, mu, the deviance residuals,
   * d mu / d eta and V(mu); and per group the Cholesky diagonal
   * sqrt(1 + theta^2 sum z^2 w) of the Laplace system into `Ldiag`.
   * One pass, so the results need no PIRLS at the optimum.
   */
  writeState(
    theta: number,
    beta: Float64Array,
    out: { eta: Float64Array; mu: Float64Array; devRes: Float64Array; muEta: Float64Array; variance: Float64Array },
    Ldiag: Float64Array,
  ): void {
    const { nl, start, perm, z, y, pw, ef, u, linkOut: lo, varOut: vo } = this;
    const { evaluateAt, varianceAt, devResidualAt } = this.fns;
    for (let j = 0; j < nl; j++) {
      const uj = u[j]!;
      let A = 0;
      const s0 = start[j]!;
      this.fixedPart(s0, start[j + 1]! - s0, beta);
      for (let i = s0; i < start[j + 1]!; i++) {
        let e = ef[i - s0]!;
        const zi = z[i]!;
        e += theta * zi * uj;
        evaluateAt(e, lo);
        const mu = lo[0]!;
        const me = lo[1]!;
        varianceAt(mu, vo);
        const r = perm[i]!;
        out.eta[r] = e;
        out.mu[r] = mu;
        out.muEta[r] = me;
        out.variance[r] = vo[0]!;
        out.devRes[r] = devResidualAt(y[i]!, mu, pw[i]!);
        A += zi * zi * workingWeight(pw[i]!, me, vo[0]!);
      }
      Ldiag[j] = Math.sqrt(1 + theta * theta * A);
    }
  }

  /** u = u0 + du/dtheta dtheta + du/dbeta dbeta from the last evaluation: about one Newton step saved per group. */
  private predictModes(theta: number, beta: Float64Array): void {
    const p = this.p;
    const dTheta = theta - this.at[0]!;
    for (let j = 0; j < this.nl; j++) {
      let du = this.duDtheta[j]! * dTheta;
      for (let k = 0; k < p; k++) du += this.duDbeta[j * p + k]! * (beta[k]! - this.at[1 + k]!);
      this.u[j] = this.uAt[j]! + du;
    }
  }
}

/**
 * The mode of a Poisson-log random intercept's group from its sums:
 * F(u) = C - 2(T + theta u Y) + 2 exp(theta u + efMax) S + u^2 has an
 * increasing derivative in u, so a Newton iteration safeguarded by the
 * bracket of the root converges to full precision; NaN when it does not.
 */
function separableMode(theta: number, Y: number, S: number, efMax: number, start: number): number {
  // F(u) = C - 2(T + theta u Y) + 2 exp(theta u + efMax) S + u^2, increasing F' in u.
  let uj = start;
  if (!Number.isFinite(uj)) uj = 0;
  let lower = -Infinity;
  let upper = Infinity;
  let converged = false;
  for (let iter = 0; iter < 200; iter++) {
    const cS = fastExp(theta * uj + efMax) * S;
    const fp = -2 * theta * Y + 2 * theta * cS + 2 * uj;
    const fpp = 2 * theta * theta * cS + 2;
    if (!Number.isFinite(fp) || !Number.isFinite(fpp)) {
      upper = Math.min(upper, uj);
      uj = Number.isFinite(lower) ? (lower + uj) / 2 : uj - 1 / Math.max(Math.abs(theta), 1e-300);
      continue;
    }
    if (fp > 0) upper = Math.min(upper, uj);
    else if (fp < 0) lower = Math.max(lower, uj);
    let next = uj - fp / fpp;
    if (!(next > lower && next < upper) && Number.isFinite(lower) && Number.isFinite(upper)) next = (lower + upper) / 2;
    const size = Math.abs(next - uj);
    uj = next;
    if (fp === 0 || size <= 1e-15 * (1 + Math.abs(uj))) {
      converged = true;
      break;
    }
  }
  return converged ? uj : Number.NaN;
}

/*
 * The constructor's row loops are module functions of their own: a loop
 * that V8 compiles while it runs (OSR) deoptimises the code after it, which
 * in a constructor would be everything else.
 */

/** Counting sort of the rows by level: a stable permutation (rows keep their order within a group) and group starts. */
function groupOrder(idx: Int32Array, nl: number): { start: Int32Array; perm: Int32Array } {
  const n = idx.length;
  const start = new Int32Array(nl + 1);
  for (let r = 0; r < n; r++) start[idx[r]! + 1]!++;
  for (let j = 0; j < nl; j++) start[j + 1]! += start[j]!;
  const next = start.slice(0, nl);
  const perm = new Int32Array(n);
  for (let r = 0; r < n; r++) perm[next[idx[r]!]!++] = r;
  return { start, perm };
}

function permuted(src: Float64Array, perm: Int32Array): Float64Array {
  return permuteInto(src, perm, new Float64Array(perm.length));
}

function permuteInto(src: Float64Array, perm: Int32Array, out: Float64Array): Float64Array {
  for (let i = 0; i < perm.length; i++) out[i] = src[perm[i]!]!;
  return out;
}

/** Per group: sum w y, sum w y x and 2 sum w (y log y - y), constants of the Poisson-log sufficient statistics. */
function poissonGroupConstants(
  X: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  pw: Float64Array,
  start: Int32Array,
  groupY: Float64Array,
  groupYX: Float64Array,
  groupC: Float64Array,
): void {
  for (let j = 0; j + 1 < start.length; j++)
    for (let i = start[j]!; i < start[j + 1]!; i++) {
      const wy = pw[i]! * y[i]!;
      groupY[j]! += wy;
      if (wy > 0) groupC[j]! += 2 * pw[i]! * (y[i]! * Math.log(y[i]!) - y[i]!);
      for (let a = 0; a < p; a++) groupYX[j * p + a]! += wy * X[a * n + i]!;
    }
}
