import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Test objectives: lme4's profiled REML criteria of two fixtures, written out with dense algebra. */

function fixtureDir(fixture: string): string {
  return fileURLToPath(new URL(`../../datasets/fixtures/${fixture}/`, import.meta.url));
}

function csvRows(fixture: string): string[][] {
  const text = readFileSync(`${fixtureDir(fixture)}data.csv`, 'utf8').trim();
  return text
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').map((v) => v.replace(/"/g, '')));
}

export function fixtureReference(fixture: string): { theta: number[]; REML_criterion: number } {
  return JSON.parse(readFileSync(`${fixtureDir(fixture)}reference.json`, 'utf8')) as {
    theta: number[];
    REML_criterion: number;
  };
}

/**
 * lme4's profiled REML criterion of a balanced one-way model y ~ 1 + (1 | g),
 * J groups of size m, as a function of theta = sigma_b / sigma:
 *   d(theta) = log|L|^2 + log|R_X|^2 + (N - 1) (1 + log(2 pi pwrss / (N - 1)))
 * with |L|^2 = a^J, R_X^2 = N / a and pwrss = W + B / a, a = 1 + m theta^2,
 * W the within-group and B the between-group sum of squares.
 */
export function oneWayRemlCriterion(groups: number[][]): (x: Float64Array) => number {
  const J = groups.length;
  const m = groups[0]!.length;
  const N = J * m;
  const mean = groups.flat().reduce((s, v) => s + v, 0) / N;
  let W = 0;
  let B = 0;
  for (const g of groups) {
    const gm = g.reduce((s, v) => s + v, 0) / m;
    for (const v of g) W += (v - gm) ** 2;
    B += m * (gm - mean) ** 2;
  }
  return (x) => {
    const a = 1 + m * x[0]! ** 2;
    return J * Math.log(a) + Math.log(N / a) + (N - 1) * (1 + Math.log((2 * Math.PI * (W + B / a)) / (N - 1)));
  };
}

export function loadGroups(fixture: string): number[][] {
  const byGroup = new Map<string, number[]>();
  for (const [g, y] of csvRows(fixture)) {
    if (!byGroup.has(g!)) byGroup.set(g!, []);
    byGroup.get(g!)!.push(Number(y));
  }
  return [...byGroup.values()];
}

type Mat2 = [number, number, number, number];
const mul = (a: Mat2, b: Mat2): Mat2 => [
  a[0] * b[0] + a[1] * b[2],
  a[0] * b[1] + a[1] * b[3],
  a[2] * b[0] + a[3] * b[2],
  a[2] * b[1] + a[3] * b[3],
];
const transpose = (a: Mat2): Mat2 => [a[0], a[2], a[1], a[3]];
const det = (a: Mat2): number => a[0] * a[3] - a[1] * a[2];
const inv = (a: Mat2): Mat2 => {
  const d = det(a);
  return [a[3] / d, -a[1] / d, -a[2] / d, a[0] / d];
};
const apply = (a: Mat2, v: [number, number]): [number, number] => [a[0] * v[0] + a[1] * v[1], a[2] * v[0] + a[3] * v[1]];

/**
 * lme4's profiled REML criterion of Reaction ~ Days + (Days | Subject) on
 * sleepstudy, theta = (L11, L21, L22) of the lower-triangular relative
 * covariance factor L. Per subject X_i = Z_i = [1, Days], V_i = Z_i L L' Z_i' + I,
 * and Woodbury with M_i = I + L' S_i L (S_i = Z_i'Z_i, t_i = Z_i'y_i) gives
 *   |V_i| = |M_i|,  X_i'V_i^-1 X_i = S_i - S_i L M_i^-1 L' S_i,
 *   X_i'V_i^-1 y_i = t_i - S_i L M_i^-1 L' t_i,  y_i'V_i^-1 y_i = y_i'y_i - t_i'L M_i^-1 L't_i;
 * then d = sum log|M_i| + log|X'V^-1 X| + (n - p)(1 + log(2 pi pwrss / (n - p)))
 * with pwrss = y'V^-1 y - b'X'V^-1 y, b the GLS estimate.
 */
export function sleepstudySlopesReml(): (x: Float64Array) => number {
  const subjects = new Map<string, { S: Mat2; t: [number, number]; yy: number }>();
  let n = 0;
  for (const [reaction, days, subject] of csvRows('sleepstudy_slopes_reml')) {
    const y = Number(reaction);
    const d = Number(days);
    if (!subjects.has(subject!)) subjects.set(subject!, { S: [0, 0, 0, 0], t: [0, 0], yy: 0 });
    const s = subjects.get(subject!)!;
    s.S = [s.S[0] + 1, s.S[1] + d, s.S[2] + d, s.S[3] + d * d];
    s.t = [s.t[0] + y, s.t[1] + d * y];
    s.yy += y * y;
    n++;
  }
  const p = 2;
  return (x) => {
    const L: Mat2 = [x[0]!, 0, x[1]!, x[2]!];
    let logDetV = 0;
    let XVX: Mat2 = [0, 0, 0, 0];
    let XVy: [number, number] = [0, 0];
    let yVy = 0;
    for (const { S, t, yy } of subjects.values()) {
      const M = mul(mul(transpose(L), S), L);
      M[0] += 1;
      M[3] += 1;
      logDetV += Math.log(det(M));
      const SL = mul(S, L);
      const K = mul(mul(SL, inv(M)), transpose(SL)); // S L M^-1 L' S
      XVX = [XVX[0] + S[0] - K[0], XVX[1] + S[1] - K[1], XVX[2] + S[2] - K[2], XVX[3] + S[3] - K[3]];
      const Lt = apply(transpose(L), t);
      const MiLt = apply(inv(M), Lt);
      const SLMiLt = apply(SL, MiLt);
      XVy = [XVy[0] + t[0] - SLMiLt[0], XVy[1] + t[1] - SLMiLt[1]];
      yVy += yy - (Lt[0] * MiLt[0] + Lt[1] * MiLt[1]);
    }
    const beta = apply(inv(XVX), XVy);
    const pwrss = yVy - (beta[0] * XVy[0] + beta[1] * XVy[1]);
    return logDetV + Math.log(det(XVX)) + (n - p) * (1 + Math.log((2 * Math.PI * pwrss) / (n - p)));
  };
}
