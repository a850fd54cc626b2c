import { describe, expect, it } from 'vitest';
import type { ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { gaussHermite, GlmResponse, LaplaceObjective } from '@glmm/estimator-laplace';
import { poissonFamily } from '@glmm/family-poisson';
import { logLink } from '@glmm/links';
import { rng } from '../../engine/test/structured-model.js';

/** A small Poisson random-intercept model: 8 groups of 5, one covariate. */
function poissonModel(): ModelMatrices {
  const rand = rng(5);
  const n = 40;
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const g = Int32Array.from({ length: n }, (_, r) => r % 8);
  const ug = Array.from({ length: 8 }, () => (rand() - 0.5) * 1.5);
  const y = Float64Array.from({ length: n }, (_, r) => {
    const mu = Math.exp(0.4 + 0.6 * x[r]! + ug[g[r]!]!);
    // Inverse-CDF Poisson draw.
    let k = 0;
    let p = Math.exp(-mu);
    let c = p;
    const v = rand();
    while (v > c && k < 100) {
      k++;
      p *= mu / k;
      c += p;
    }
    return k;
  });
  const X = new Float64Array(2 * n);
  X.fill(1, 0, n);
  X.set(x, n);
  return {
    n,
    p: 2,
    responseName: 'y',
    y,
    weights: new Float64Array(n).fill(1),
    trials: new Float64Array(n).fill(1),
    offset: new Float64Array(n),
    X,
    fixedNames: ['(Intercept)', 'x'],
    terms: [
      {
        group: 'g',
        levels: Array.from({ length: 8 }, (_, i) => `g${i}`),
        index: g,
        columns: [new Float64Array(n).fill(1)],
        columnNames: ['(Intercept)'],
        covariance: 'unstructured',
      },
    ],
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}

function lgammaInt(k: number): number {
  let s = 0;
  for (let i = 2; i <= k; i++) s += Math.log(i);
  return s;
}

/** Exact -2 log marginal likelihood by brute-force integration over each group's u (Simpson's rule). */
function exactDeviance(model: ModelMatrices, theta: number, beta: Float64Array): number {
  const n = model.n;
  let total = 0;
  for (let j = 0; j < 8; j++) {
    const rows = [...Array(n).keys()].filter((r) => model.terms[0]!.index[r] === j);
    const m = 8000;
    const lo = -12;
    const hi = 12;
    const h = (hi - lo) / m;
    let s = 0;
    for (let i = 0; i <= m; i++) {
      const u = lo + i * h;
      let ll = -0.5 * u * u - 0.5 * Math.log(2 * Math.PI);
      for (const r of rows) {
        const eta = beta[0]! + beta[1]! * model.X[n + r]! + theta * u;
        const y = model.y[r]!;
        ll += y * eta - Math.exp(eta) - lgammaInt(y);
      }
      s += (i === 0 || i === m ? 1 : i % 2 ? 4 : 2) * Math.exp(ll);
    }
    total += -2 * Math.log((s * h) / 3);
  }
  return total;
}

/** -2 sum log p(y | mu = y): the saturated constant lme4 leaves out of its AGQ deviance. */
function saturated(model: ModelMatrices): number {
  let s = 0;
  for (const y of model.y) s += -2 * (y > 0 ? y * Math.log(y) - y - lgammaInt(y) : 0);
  return s;
}

describe('Laplace and AGQ objectives', () => {
  const model = poissonModel();
  const re = new RandomEffectsStructure(model, [unstructuredCovariance]);
  const make = (nAGQ: number) =>
    new LaplaceObjective(re, new GlmResponse(model, poissonFamily, logLink), 100, nAGQ > 1 ? gaussHermite(nAGQ) : null);

  for (const [theta, b0, b1] of [
    [0.7, 0.4, 0.6],
    [1.2, 0.1, 0.9],
    [0.3, 0.6, 0.2],
  ] as const) {
    const beta = Float64Array.of(b0, b1);
    it(`AGQ(25) equals the exact integral at theta=${theta}, beta=(${b0}, ${b1})`, () => {
      const exact = exactDeviance(model, theta, beta);
      const agq = make(25).deviance(Float64Array.of(theta), beta) + saturated(model);
      expect(agq).toBeCloseTo(exact, 6);
    });
    it(`Laplace is a close approximation at theta=${theta}`, () => {
      const exact = exactDeviance(model, theta, beta);
      const laplace = make(1).deviance(Float64Array.of(theta), beta);
      expect(Math.abs(laplace - exact)).toBeLessThan(0.5);
      expect(Math.abs(laplace - exact)).toBeGreaterThan(1e-6);
    });
  }

  it('PIRLS finds the conditional mode: the penalised deviance is stationary in u', () => {
    const obj = make(1);
    const theta = Float64Array.of(0.8);
    const beta = Float64Array.of(0.3, 0.5);
    const out = obj.mode(theta, beta, 1e-13);
    expect(out.converged).toBe(true);
    const u = Float64Array.from(obj.pirls.u);
    const pdev = (v: Float64Array): number => {
      let s = 0;
      for (let r = 0; r < model.n; r++) {
        const eta = beta[0]! + beta[1]! * model.X[model.n + r]! + theta[0]! * v[model.terms[0]!.index[r]!]!;
        const mu = Math.exp(eta);
        const y = model.y[r]!;
        s += 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
      }
      for (const x of v) s += x * x;
      return s;
    };
    for (let j = 0; j < u.length; j++) {
      const up = Float64Array.from(u);
      const dn = Float64Array.from(u);
      up[j]! += 1e-5;
      dn[j]! -= 1e-5;
      expect(Math.abs((pdev(up) - pdev(dn)) / 2e-5)).toBeLessThan(1e-5);
    }
  });

  it('Gauss-Hermite rules integrate polynomials exactly', () => {
    const rule = gaussHermite(5);
    const moment = (k: number) => rule.nodes.reduce((s, z, i) => s + rule.weights[i]! * z ** k, 0);
    expect(moment(0)).toBeCloseTo(1, 14);
    expect(moment(2)).toBeCloseTo(1, 13);
    expect(moment(4)).toBeCloseTo(3, 12);
    expect(moment(8)).toBeCloseTo(105, 9);
    expect(moment(3)).toBeCloseTo(0, 13);
  });
});

describe('Gauss-Hermite nodes', () => {
  it('match the known 3- and 5-point rules', () => {
    const r3 = gaussHermite(3);
    expect([...r3.nodes]).toEqual([-Math.sqrt(3), 0, Math.sqrt(3)].map((v) => expect.closeTo(v, 13)));
    expect(r3.weights[0]).toBeCloseTo(1 / 6, 14);
    expect(r3.weights[1]).toBeCloseTo(2 / 3, 14);
    // He_5 roots: 0, +-sqrt(5 +- sqrt(10)).
    const r5 = gaussHermite(5);
    expect(r5.nodes[4]).toBeCloseTo(Math.sqrt(5 + Math.sqrt(10)), 13);
    expect(r5.nodes[3]).toBeCloseTo(Math.sqrt(5 - Math.sqrt(10)), 13);
  });
  it('integrates E[Z^48] exactly with 25 points', () => {
    const r = gaussHermite(25);
    let m = 0;
    r.nodes.forEach((z, k) => (m += r.weights[k]! * z ** 48));
    // (48 - 1)!! = 47!!
    let dbl = 1;
    for (let j = 47; j > 1; j -= 2) dbl *= j;
    expect(m / dbl).toBeCloseTo(1, 9);
  });
});
