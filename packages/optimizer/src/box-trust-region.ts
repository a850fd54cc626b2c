import type { QuadraticAtCentre } from './quadratic-interpolation.js';

/** A step from the centre that (approximately) minimises a quadratic within a ball and a box. */
export interface BoxTrustRegionStep {
  readonly step: Float64Array;
  /** -1 / +1 where the step ends exactly on the lower / upper bound, 0 elsewhere. */
  readonly bound: Int8Array;
  /** g's + s'Hs / 2 at the step (never positive). */
  readonly predicted: number;
  /**
   * Least curvature d'Hd / d'd along the conjugate-gradient searches that
   * neither the ball nor a bound cut short; 0 when the ball stopped the step;
   * -1 when every search was cut short by a bound.
   */
  readonly curvature: number;
}

/** CG stops when an iteration gains less than this fraction of the reduction so far (Powell's rule). */
const CG_MIN_GAIN = 0.01;
/** Angles tried per rotation along the sphere when the ball stopped the CG step. */
const ROTATION_SAMPLES = 24;

/**
 * Truncated conjugate gradients with an active set for
 *   min g's + s'Hs / 2  subject to  |s| <= delta,  roomDown <= s <= roomUp,
 * in the manner of Powell's TRSBOX: coordinates on a bound with the gradient
 * pointing out of the box are fixed, CG runs on the others, a search that
 * meets a bound fixes that coordinate there and restarts, and a search that
 * meets the sphere ends the CG phase. H may be indefinite (negative curvature
 * runs to the sphere or a bound). When the sphere stopped the step, the step
 * is then rotated on the sphere, in the plane of s and the projected gradient,
 * while that still reduces the model.
 *
 * roomDown = lower - centre (<= 0) and roomUp = upper - centre (>= 0).
 */
export function boxTrustRegionStep(
  q: QuadraticAtCentre,
  delta: number,
  roomDown: Float64Array,
  roomUp: Float64Array,
): BoxTrustRegionStep {
  const { gradient: g, hessian: H } = q;
  const n = g.length;
  const s = new Float64Array(n);
  const bound = new Int8Array(n);
  const gs = Float64Array.from(g);
  const d = new Float64Array(n);
  const Hd = new Float64Array(n);
  const delsq = delta * delta;
  for (let j = 0; j < n; j++) {
    if (roomDown[j]! >= 0 && g[j]! >= 0) bound[j] = -1;
    else if (roomUp[j]! <= 0 && g[j]! <= 0) bound[j] = 1;
  }
  let curvature = -1;
  let reduction = 0;
  let restart = true;
  let ggPrev = 0;
  let hitSphere = false;
  let cgSteps = 0;
  const maxCgSteps = (n + 1) * (n + 1);

  while (cgSteps++ < maxCgSteps) {
    let gg = 0;
    for (let j = 0; j < n; j++) if (bound[j] === 0) gg += gs[j]! * gs[j]!;
    if (!(gg > 0)) break;
    const beta = restart ? 0 : gg / ggPrev;
    let dd = 0;
    let gd = 0;
    let sd = 0;
    let ss = 0;
    for (let j = 0; j < n; j++) {
      d[j] = bound[j] === 0 ? -gs[j]! + beta * d[j]! : 0;
      dd += d[j]! * d[j]!;
      gd += gs[j]! * d[j]!;
      sd += s[j]! * d[j]!;
      ss += s[j]! * s[j]!;
    }
    ggPrev = gg;
    if (!(gd < 0)) {
      // Rounding made the conjugate direction useless: fall back on steepest descent once.
      if (restart) break;
      restart = true;
      continue;
    }
    const resid = delsq - ss;
    if (resid <= 0) {
      hitSphere = true;
      break;
    }
    // Positive root of |s + a d|^2 = delta^2, in the cancellation-free form.
    const root = Math.sqrt(sd * sd + dd * resid);
    const aSphere = sd >= 0 ? resid / (root + sd) : (root - sd) / dd;
    let aBox = Infinity;
    let jBox = -1;
    for (let j = 0; j < n; j++) {
      if (bound[j] !== 0 || d[j] === 0) continue;
      const room = d[j]! > 0 ? roomUp[j]! - s[j]! : roomDown[j]! - s[j]!;
      const a = Math.max(room / d[j]!, 0);
      if (a < aBox) {
        aBox = a;
        jBox = j;
      }
    }
    let dHd = 0;
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += H[i * n + j]! * d[j]!;
      Hd[i] = sum;
      dHd += d[i]! * sum;
    }
    const aCg = dHd > 0 ? -gd / dHd : Infinity;
    const a = Math.min(aCg, aSphere, aBox);
    const gain = -(a * gd + 0.5 * a * a * dHd);
    for (let j = 0; j < n; j++) {
      s[j]! += a * d[j]!;
      gs[j]! += a * Hd[j]!;
    }
    if (gain > 0) reduction += gain;
    if (aCg <= aSphere && aCg <= aBox) {
      const c = dHd / dd;
      curvature = curvature < 0 ? c : Math.min(curvature, c);
      restart = false;
      if (gain <= CG_MIN_GAIN * reduction) break;
      continue;
    }
    if (aSphere <= aBox) {
      hitSphere = true;
      break;
    }
    // A bound was met: pin the coordinate there exactly and restart on the rest.
    bound[jBox] = d[jBox]! > 0 ? 1 : -1;
    s[jBox] = bound[jBox] === 1 ? roomUp[jBox]! : roomDown[jBox]!;
    restart = true;
  }

  if (hitSphere) {
    curvature = 0;
    rotateOnSphere(H, s, gs, bound, roomDown, roomUp, reduction);
  }
  let predicted = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = 0; j < n; j++) row += H[i * n + j]! * s[j]!;
    predicted += s[i]! * (g[i]! + 0.5 * row);
  }
  if (!(predicted <= 0)) {
    // Rounding in a flat model: no step is better than an uphill one.
    s.fill(0);
    bound.fill(0);
    for (let j = 0; j < n; j++) {
      if (roomDown[j]! >= 0 && g[j]! >= 0) bound[j] = -1;
      else if (roomUp[j]! <= 0 && g[j]! <= 0) bound[j] = 1;
    }
    predicted = 0;
  }
  return { step: s, bound, predicted, curvature };
}

/**
 * Improves a step on the sphere |s| = delta by rotations s(t) = cos t s_F +
 * sin t w within the free coordinates F, w orthogonal to s_F, of equal length
 * and along the descent part of the gradient. Each rotation picks the best of
 * a grid of angles up to the first bound; a bound met there is pinned.
 */
function rotateOnSphere(
  H: Float64Array,
  s: Float64Array,
  gs: Float64Array,
  bound: Int8Array,
  roomDown: Float64Array,
  roomUp: Float64Array,
  reductionSoFar: number,
): void {
  const n = s.length;
  const w = new Float64Array(n);
  const Hs = new Float64Array(n);
  const Hw = new Float64Array(n);
  let reduction = reductionSoFar;
  for (let iter = 0; iter < n; iter++) {
    let ss = 0;
    let sg = 0;
    let gg = 0;
    let free = 0;
    for (let j = 0; j < n; j++) {
      if (bound[j] !== 0) continue;
      free++;
      ss += s[j]! * s[j]!;
      sg += s[j]! * gs[j]!;
      gg += gs[j]! * gs[j]!;
    }
    if (free < 2 || !(ss > 0)) return;
    const temp = gg * ss - sg * sg;
    if (temp <= 1e-4 * reduction * reduction) return;
    const norm = Math.sqrt(temp);
    for (let j = 0; j < n; j++) w[j] = bound[j] === 0 ? ((sg * s[j]! - ss * gs[j]!) / norm) : 0;
    // Restricted to F: sF's and w's.
    const sF = (j: number): number => (bound[j] === 0 ? s[j]! : 0);
    let sHs = 0;
    let wHw = 0;
    let sHw = 0;
    let gsS = 0;
    let gsW = 0;
    for (let i = 0; i < n; i++) {
      let rs = 0;
      let rw = 0;
      for (let j = 0; j < n; j++) {
        rs += H[i * n + j]! * sF(j);
        rw += H[i * n + j]! * w[j]!;
      }
      Hs[i] = rs;
      Hw[i] = rw;
      sHs += sF(i) * rs;
      wHw += w[i]! * rw;
      sHw += sF(i) * rw;
      gsS += gs[i]! * sF(i);
      gsW += gs[i]! * w[i]!;
    }
    // Change of the model when s_F moves to cos t s_F + sin t w.
    const change = (t: number): number => {
      const a = Math.cos(t) - 1;
      const b = Math.sin(t);
      return a * gsS + b * gsW + 0.5 * (a * a * sHs + 2 * a * b * sHw + b * b * wHw);
    };
    let tMax = Math.PI / 2;
    let jLimit = -1;
    let limitSide = 0;
    for (let j = 0; j < n; j++) {
      if (bound[j] !== 0) continue;
      const A = s[j]!;
      const B = w[j]!;
      const R = Math.hypot(A, B);
      if (!(R > 0)) continue;
      const phi = Math.atan2(B, A);
      if (R > roomUp[j]!) {
        const t = positiveAngle(phi - Math.acos(Math.min(roomUp[j]! / R, 1)));
        if (t < tMax) {
          tMax = t;
          jLimit = j;
          limitSide = 1;
        }
      }
      if (-R < roomDown[j]!) {
        const t = positiveAngle(phi + Math.acos(Math.max(roomDown[j]! / R, -1)));
        if (t < tMax) {
          tMax = t;
          jLimit = j;
          limitSide = -1;
        }
      }
    }
    if (!(tMax > 0)) return;
    let bestT = 0;
    let bestChange = 0;
    for (let k = 1; k <= ROTATION_SAMPLES; k++) {
      const t = (k / ROTATION_SAMPLES) * tMax;
      const c = change(t);
      if (c < bestChange) {
        bestChange = c;
        bestT = t;
      }
    }
    if (!(bestChange < 0)) return;
    // A parabola through the best sample and its neighbours refines an interior best angle.
    const h = tMax / ROTATION_SAMPLES;
    if (bestT < tMax) {
      const cm = bestT - h > 0 ? change(bestT - h) : 0;
      const cp = change(bestT + h);
      const denom = cm - 2 * bestChange + cp;
      if (denom > 0) {
        const t = bestT + (0.5 * h * (cm - cp)) / denom;
        const c = change(t);
        if (t > 0 && t < tMax && c < bestChange) {
          bestT = t;
          bestChange = c;
        }
      }
    }
    const cos = Math.cos(bestT);
    const sin = Math.sin(bestT);
    for (let j = 0; j < n; j++) {
      if (bound[j] !== 0) continue;
      s[j] = cos * s[j]! + sin * w[j]!;
    }
    // gs = g + H s changes by H (s_new - s_old) on the free part.
    for (let i = 0; i < n; i++) gs[i]! += (cos - 1) * Hs[i]! + sin * Hw[i]!;
    for (let j = 0; j < n; j++) {
      if (bound[j] !== 0) continue;
      if (s[j]! > roomUp[j]!) s[j] = roomUp[j]!;
      if (s[j]! < roomDown[j]!) s[j] = roomDown[j]!;
    }
    reduction -= bestChange;
    if (bestT === tMax && jLimit >= 0) {
      bound[jLimit] = limitSide;
      s[jLimit] = limitSide === 1 ? roomUp[jLimit]! : roomDown[jLimit]!;
      continue;
    }
    if (-bestChange <= CG_MIN_GAIN * reduction) return;
  }
}

function positiveAngle(t: number): number {
  const twoPi = 2 * Math.PI;
  const r = t % twoPi;
  return r < 0 ? r + twoPi : r;
}
