import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nelderMead, quasiNewton } from '../src/index.js';

/**
 * lme4's profiled REML criterion of a balanced one-way model y ~ 1 + (1 | g),
 * J groups of size m, as a function of theta = sigma_b / sigma:
 *   d(theta) = log|L|^2 + log|R_X|^2 + (N - 1) (1 + log(2 pi pwrss / (N - 1)))
 * with |L|^2 = a^J, R_X^2 = N / a and pwrss = W + B / a, a = 1 + m theta^2,
 * W the within-group and B the between-group sum of squares.
 */
function remlCriterion(groups: number[][]): (x: Float64Array) => number {
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

function loadGroups(fixture: string): { groups: number[][]; theta: number; reml: number } {
  const dir = fileURLToPath(new URL(`../../datasets/fixtures/${fixture}/`, import.meta.url));
  const rows = readFileSync(`${dir}data.csv`, 'utf8').trim().split('\n').slice(1);
  const byGroup = new Map<string, number[]>();
  for (const line of rows) {
    const [g, y] = line.split(',');
    const key = g!.replace(/"/g, '');
    if (!byGroup.has(key)) byGroup.set(key, []);
    byGroup.get(key)!.push(Number(y));
  }
  const ref = JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as { theta: number[]; REML_criterion: number };
  return { groups: [...byGroup.values()], theta: ref.theta[0]!, reml: ref.REML_criterion };
}

describe.each([
  ['nelder-mead', nelderMead],
  ['quasi-newton', quasiNewton],
] as const)('%s on lme4 REML criteria', (_name, minimize) => {
  it('reproduces theta and the REML criterion of Dyestuff', () => {
    const { groups, theta, reml } = loadGroups('dyestuff_reml');
    const f = remlCriterion(groups);
    // The closed form agrees with lme4 at lme4's optimum.
    expect(f(Float64Array.of(theta))).toBeCloseTo(reml, 8);
    const r = minimize(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.x[0]! - theta)).toBeLessThan(1e-5);
    expect(r.fval).toBeLessThanOrEqual(reml + 1e-9);
    expect(reml - r.fval).toBeLessThan(1e-8 * reml);
  });

  it('puts theta exactly at 0 for the singular Dyestuff2', () => {
    const { groups, theta, reml } = loadGroups('dyestuff2_singular_reml');
    expect(theta).toBe(0);
    const f = remlCriterion(groups);
    const r = minimize(f, Float64Array.of(1), { lower: Float64Array.of(0) });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBe(0);
    expect(r.fval).toBeCloseTo(reml, 8);
  });
});
