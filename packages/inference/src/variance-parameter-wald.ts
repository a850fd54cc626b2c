import { criticalValue } from './coefficient-table.js';
import type { CovarianceParameters } from './covariance-parameters.js';
import type { IntervalRow } from './interval-table.js';

const SD_BOUNDARY = 1e-4;
const COR_BOUNDARY = 1 - 1e-6;

/**
 * Wald intervals of the covariance parameters on the log-SD /
 * atanh-correlation / log-sigma scale from the covariance A of
 * varpar = (theta, sigma) (Satterthwaite's A = 2 H^+): by the delta method
 * Cov(phi) = J A J' with J = d phi / d varpar, which at the optimum equals
 * 2 H_phi^-1, the inverse Hessian in phi.  So a linear mixed model has its
 * Wald intervals from what its Satterthwaite DF are made of, without the
 * data.  Parameters at a boundary get no interval (the normal approximation
 * fails there).
 */
export function waldFromVarparCovariance(
  params: CovarianceParameters,
  theta: Float64Array,
  sigma: number,
  vcovVarpar: Float64Array,
  level: number,
): { rows: IntervalRow[]; notes: string[] } {
  const q = criticalValue(level, null);
  const m = theta.length;
  const k = m + (params.scaled ? 1 : 0);
  const phiOf = (th: Float64Array, s: number): Float64Array => {
    const v = params.fromTheta(th, s);
    return v.map((x, i) => (params.parameters[i]!.kind === 'cor' ? Math.atanh(x) : Math.log(x)));
  };
  const estimates = params.fromTheta(theta, sigma);
  const boundary = params.parameters.map((p, i) => {
    const v = estimates[i]!;
    if (p.kind === 'cor')
      return (
        Math.abs(v) >= COR_BOUNDARY ||
        params.parameters.some((o, a) => o.kind === 'sd' && o.term === p.term && (o.j === p.r || o.j === p.j) && estimates[a]! <= SD_BOUNDARY * sigma)
      );
    return v <= SD_BOUNDARY * sigma;
  });
  const phi0 = phiOf(theta, sigma);
  // J by central differences in theta (and sigma): phi is smooth away from the boundary.
  const J: Float64Array[] = [];
  for (let c = 0; c < k; c++) {
    const x = c < m ? theta[c]! : sigma;
    const h = 1e-6 * Math.max(Math.abs(x), 1e-3);
    const plus = Float64Array.from(theta);
    const minus = Float64Array.from(theta);
    let sp = sigma;
    let sm = sigma;
    if (c < m) {
      plus[c] = plus[c]! + h;
      minus[c] = minus[c]! - h;
    } else {
      sp += h;
      sm -= h;
    }
    const a = phiOf(plus, sp);
    const b = phiOf(minus, sm);
    J.push(a.map((v, i) => (v - b[i]!) / (2 * h)));
  }
  const notes: string[] = [];
  const rows = params.parameters.map((p, i): IntervalRow => {
    const estimate = estimates[i]!;
    if (boundary[i]) {
      notes.push(
        p.kind === 'cor'
          ? `${p.name}: at or next to +-1, or a standard deviation it involves is 0; no Wald interval`
          : `${p.name}: estimated at 0 (a singular fit); no Wald interval, the lower bound is 0`,
      );
      return { name: p.name, estimate, lower: p.kind === 'cor' ? null : 0, upper: null };
    }
    let v = 0;
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) v += J[a]![i]! * vcovVarpar[b * k + a]! * J[b]![i]!;
    if (!(v > 0)) {
      notes.push(`${p.name}: the deviance's curvature in this parameter is not positive; no Wald interval`);
      return { name: p.name, estimate, lower: null, upper: null };
    }
    const se = Math.sqrt(v);
    const back = (x: number): number => (p.kind === 'cor' ? Math.tanh(x) : Math.exp(x));
    return { name: p.name, estimate, lower: back(phi0[i]! - q * se), upper: back(phi0[i]! + q * se) };
  });
  return { rows, notes };
}
