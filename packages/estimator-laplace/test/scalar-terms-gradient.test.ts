import { describe, expect, it } from 'vitest';
import type { Family, Link, ModelMatrices, RandomTerm } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { GlmResponse, LaplaceObjective } from '@glmm/estimator-laplace';
import { binomialFamily } from '@glmm/family-binomial';
import { gammaFamily } from '@glmm/family-gamma';
import { poissonFamily } from '@glmm/family-poisson';
import { inverseLink, logLink, logitLink, probitLink } from '@glmm/links';
import { rng } from '../../engine/test/structured-model.js';
import { ScalarTermsGradient } from '../src/scalar-terms-gradient.js';

interface TermSpec {
  group: string;
  index: Int32Array;
  levels: number;
  column?: Float64Array;
  name?: string;
}

function makeModel(opts: {
  y: Float64Array;
  X: Float64Array[];
  terms: TermSpec[];
  weights?: Float64Array;
  offset?: Float64Array;
}): ModelMatrices {
  const n = opts.y.length;
  const p = opts.X.length;
  const X = new Float64Array(n * p);
  opts.X.forEach((col, a) => X.set(col, a * n));
  const terms: RandomTerm[] = opts.terms.map((t) => ({
    group: t.group,
    levels: Array.from({ length: t.levels }, (_, i) => `${t.group}${i}`),
    index: t.index,
    columns: [t.column ?? new Float64Array(n).fill(1)],
    columnNames: [t.name ?? '(Intercept)'],
    covariance: 'unstructured',
  }));
  return {
    n,
    p,
    responseName: 'y',
    y: opts.y,
    weights: opts.weights ?? new Float64Array(n).fill(1),
    trials: opts.weights ?? new Float64Array(n).fill(1),
    offset: opts.offset ?? new Float64Array(n),
    X,
    fixedNames: opts.X.map((_, a) => (a === 0 ? '(Intercept)' : `x${a}`)),
    terms,
    usedRows: Int32Array.from({ length: n }, (_, i) => i),
    excluded: { count: 0, byReason: {}, rows: [] },
  };
}

/**
 * Crossed binary design: `na` x `nb` levels, each pair present with
 * probability `keep` (so combinations are missing) and 1-3 replicates: unbalanced.
 */
function crossedBinary(seed: number, na: number, nb: number, keep: number): ModelMatrices {
  const rand = rng(seed);
  const ea = Array.from({ length: na }, () => rand() * 2 - 1);
  const eb = Array.from({ length: nb }, () => rand() * 1.5 - 0.75);
  const ia: number[] = [];
  const ib: number[] = [];
  for (let a = 0; a < na; a++)
    for (let b = 0; b < nb; b++) {
      if (rand() > keep) continue;
      const reps = 1 + Math.floor(rand() * 3);
      for (let r = 0; r < reps; r++) {
        ia.push(a);
        ib.push(b);
      }
    }
  const n = ia.length;
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const y = Float64Array.from({ length: n }, (_, i) => {
    const eta = -0.3 + 0.8 * x[i]! + ea[ia[i]!]! + eb[ib[i]!]!;
    return rand() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  });
  return makeModel({
    y,
    X: [new Float64Array(n).fill(1), x],
    terms: [
      { group: 'a', index: Int32Array.from(ia), levels: na },
      { group: 'b', index: Int32Array.from(ib), levels: nb },
    ],
  });
}

/** Poisson counts with (1 | a:b) + (1 | a), b nested in a (the a:b term first, as lme4 orders by level count). */
function nestedPoisson(seed: number): ModelMatrices {
  const rand = rng(seed);
  const na = 7;
  const per = 4;
  const ia: number[] = [];
  const iab: number[] = [];
  for (let a = 0; a < na; a++)
    for (let b = 0; b < per; b++) {
      const reps = 2 + Math.floor(rand() * 4);
      for (let r = 0; r < reps; r++) {
        ia.push(a);
        iab.push(a * per + b);
      }
    }
  const n = ia.length;
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const ea = Array.from({ length: na }, () => rand() - 0.5);
  const eab = Array.from({ length: na * per }, () => 0.6 * (rand() - 0.5));
  const y = Float64Array.from({ length: n }, (_, i) => {
    const mu = Math.exp(0.7 + 0.4 * x[i]! + ea[ia[i]!]! + eab[iab[i]!]!);
    // A rough Poisson draw by inversion.
    let k = 0;
    let pk = Math.exp(-mu);
    let c = pk;
    const v = rand();
    while (v > c && k < 50) {
      k++;
      pk *= mu / k;
      c += pk;
    }
    return k;
  });
  return makeModel({
    y,
    X: [new Float64Array(n).fill(1), x],
    terms: [
      { group: 'a:b', index: Int32Array.from(iab), levels: na * per },
      { group: 'a', index: Int32Array.from(ia), levels: na },
    ],
  });
}

/** Poisson with (1 | g) + (0 + x | g): two scalar terms on the same grouping factor. */
function interceptAndSlope(seed: number): ModelMatrices {
  const rand = rng(seed);
  const ng = 9;
  const n = 150;
  const g = Int32Array.from({ length: n }, (_, i) => (i < ng ? i : Math.floor(rand() * ng)));
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const slopes = Array.from({ length: ng }, () => 0.5 * (rand() - 0.5));
  const icpt = Array.from({ length: ng }, () => rand() - 0.5);
  const y = Float64Array.from({ length: n }, (_, i) => Math.floor(rand() * 2 * Math.exp(0.5 + (0.3 + slopes[g[i]!]!) * x[i]! + icpt[g[i]!]!)));
  return makeModel({
    y,
    X: [new Float64Array(n).fill(1), x],
    terms: [
      { group: 'g', index: g, levels: ng },
      { group: 'g', index: g, levels: ng, column: x, name: 'x' },
    ],
  });
}

/**
 * Binomial proportions with trials as prior weights, an offset and three
 * crossed scalar terms (the general per-row path), one of them a slope.
 */
function weightedOffsetBinomial(seed: number): ModelMatrices {
  const rand = rng(seed);
  const n = 260;
  const ia = Int32Array.from({ length: n }, (_, i) => (i < 12 ? i : Math.floor(rand() * 12)));
  const ib = Int32Array.from({ length: n }, (_, i) => (i < 8 ? i : Math.floor(rand() * 8)));
  const ic = Int32Array.from({ length: n }, (_, i) => (i < 5 ? i : Math.floor(rand() * 5)));
  const x = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const trials = Float64Array.from({ length: n }, () => 1 + Math.floor(rand() * 6));
  const offset = Float64Array.from({ length: n }, () => 0.4 * (rand() - 0.5));
  const y = Float64Array.from({ length: n }, (_, i) => {
    const pr = 1 / (1 + Math.exp(-(0.2 + 0.6 * x[i]! + 0.3 * Math.sin(ia[i]!) + 0.2 * Math.cos(ib[i]!) + offset[i]!)));
    let k = 0;
    for (let t = 0; t < trials[i]!; t++) if (rand() < pr) k++;
    return k / trials[i]!;
  });
  return makeModel({
    y,
    X: [new Float64Array(n).fill(1), x],
    weights: trials,
    offset,
    terms: [
      { group: 'a', index: ia, levels: 12 },
      { group: 'b', index: ib, levels: 8 },
      { group: 'c', index: ic, levels: 5, column: Float64Array.from(x, (v) => 0.5 + v), name: 'x' },
    ],
  });
}

/** The families without varianceDerivative take central differences of the weights. */
const poissonNoDerivative: Family = { ...poissonFamily, varianceDerivative: undefined };

interface Case {
  label: string;
  model: () => ModelMatrices;
  family: Family;
  link: Link;
  theta: number[];
  beta: number[];
  denseTail?: boolean;
}

const cases: Case[] = [
  {
    label: 'crossed binomial logit (1 | a) + (1 | b), unbalanced, missing cells',
    model: () => crossedBinary(3, 40, 30, 0.6),
    family: binomialFamily,
    link: logitLink,
    theta: [0.9, 0.6],
    beta: [-0.2, 0.7],
    denseTail: true,
  },
  {
    label: 'crossed binomial logit with theta_b at its bound 0',
    model: () => crossedBinary(4, 15, 6, 0.7),
    family: binomialFamily,
    link: logitLink,
    theta: [0.8, 0],
    beta: [-0.3, 0.5],
  },
  {
    label: 'nested poisson log (1 | a:b) + (1 | a)',
    model: () => nestedPoisson(5),
    family: poissonFamily,
    link: logLink,
    theta: [0.4, 0.7],
    beta: [0.6, 0.35],
  },
  {
    label: 'poisson log (1 | g) + (0 + x | g)',
    model: () => interceptAndSlope(6),
    family: poissonFamily,
    link: logLink,
    theta: [0.6, 0.3],
    beta: [0.4, 0.2],
  },
  {
    label: 'poisson log (1 | g) + (0 + x | g), weights derivative by differences',
    model: () => interceptAndSlope(6),
    family: poissonNoDerivative,
    link: logLink,
    theta: [0.6, 0.3],
    beta: [0.4, 0.2],
  },
  {
    label: 'one term: poisson log (0 + x | g), the scalar factor path of PIRLS',
    model: () => {
      const m = interceptAndSlope(8);
      return { ...m, terms: [m.terms[1]!] };
    },
    family: poissonFamily,
    link: logLink,
    theta: [0.7],
    beta: [0.4, 0.2],
  },
  {
    label: 'binomial proportions with prior weights and an offset, three terms',
    model: () => weightedOffsetBinomial(7),
    family: binomialFamily,
    link: logitLink,
    theta: [0.5, 0.8, 0.4],
    beta: [0.1, 0.5],
  },
];

describe('exact gradient of the Laplace deviance for scalar terms', () => {
  for (const c of cases) {
    it(`matches central differences: ${c.label}`, () => {
      const m = c.model();
      const re = new RandomEffectsStructure(
        m,
        m.terms.map(() => unstructuredCovariance),
      );
      expect(ScalarTermsGradient.applies(re, c.family, c.link)).toBe(true);
      const response = new GlmResponse(m, c.family, c.link);
      const obj = new LaplaceObjective(re, response, 200, null);
      if (c.denseTail) expect(obj.pirls.system.pattern.denseStart).toBeLessThan(obj.pirls.system.pattern.nNodes);
      const nTheta = re.nTheta;
      const x = Float64Array.of(...c.theta, ...c.beta);
      const f = (v: Float64Array) => obj.deviance(v.subarray(0, nTheta), v.subarray(nTheta), 1e-14);
      // The formula needs the exact mode: PIRLS must have converged at x.
      expect(obj.mode(x.subarray(0, nTheta), x.subarray(nTheta), 1e-14).converged).toBe(true);
      const grad = new ScalarTermsGradient(re, response);
      const g = new Float64Array(x.length);
      grad.gradient(x.subarray(0, nTheta), x.subarray(nTheta), obj.pirls, g);
      let worst = 0;
      for (let k = 0; k < x.length; k++) {
        const h = 1e-4;
        const up = Float64Array.from(x);
        const dn = Float64Array.from(x);
        up[k]! += h;
        dn[k]! -= h;
        const fd = (f(up) - f(dn)) / (2 * h);
        const rel = Math.abs(g[k]! - fd) / Math.max(1, Math.abs(fd));
        worst = Math.max(worst, rel);
        expect(rel).toBeLessThan(1e-5);
      }
      // A scalar term's deviance is even in its theta (u_t -> -u_t), so at 0 the derivative vanishes.
      for (let t = 0; t < nTheta; t++) if (c.theta[t] === 0) expect(Math.abs(g[t]!)).toBeLessThan(1e-10);
      // Not a vacuous comparison: the gradient is far from zero somewhere.
      expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.1);
      expect(worst).toBeLessThan(1e-5);
    });
  }

  it('predicts the modes at a nearby point to second order', () => {
    const m = crossedBinary(3, 40, 30, 0.6);
    const re = new RandomEffectsStructure(m, [unstructuredCovariance, unstructuredCovariance]);
    const response = new GlmResponse(m, binomialFamily, logitLink);
    const obj = new LaplaceObjective(re, response, 200, null);
    const grad = new ScalarTermsGradient(re, response, { modeDerivatives: true });
    const theta = Float64Array.of(0.9, 0.6);
    const beta = Float64Array.of(-0.2, 0.7);
    obj.mode(theta, beta, 1e-14);
    const u0 = Float64Array.from(obj.pirls.u);
    grad.gradient(theta, beta, obj.pirls, new Float64Array(4));
    /** Largest |u - prediction| and |u - u0| over the levels after a step of `scale` along the direction. */
    const predictionError = (dir: readonly number[], scale: number): [number, number] => {
      const th = Float64Array.from(theta, (v, i) => v + scale * dir[i]!);
      const be = Float64Array.from(beta, (v, i) => v + scale * dir[2 + i]!);
      const pred = new Float64Array(re.q);
      grad.predictModes(th, be, pred);
      obj.mode(th, be, 1e-14);
      let moved = 0;
      let err = 0;
      for (let j = 0; j < re.q; j++) {
        moved = Math.max(moved, Math.abs(obj.pirls.u[j]! - u0[j]!));
        err = Math.max(err, Math.abs(obj.pirls.u[j]! - pred[j]!));
      }
      return [err, moved];
    };
    for (const dir of [
      [1, -2, 0, 0],
      [0, 0, 1.5, -1],
      [-1, 1, 1, 2],
    ]) {
      const [err, moved] = predictionError(dir, 1e-3);
      const [errHalf] = predictionError(dir, 5e-4);
      expect(moved).toBeGreaterThan(1e-4);
      expect(err).toBeLessThan(0.01 * moved);
      // Second order: halving the step quarters the error (a wrong du/dphi would only halve it).
      expect(err / errHalf).toBeGreaterThan(3.5);
      expect(err / errHalf).toBeLessThan(4.5);
    }
  });

  it('refuses non-canonical links, dispersion families and vector terms', () => {
    const m = crossedBinary(3, 10, 5, 0.8);
    const re = new RandomEffectsStructure(m, [unstructuredCovariance, unstructuredCovariance]);
    expect(ScalarTermsGradient.applies(re, binomialFamily, logitLink)).toBe(true);
    expect(ScalarTermsGradient.applies(re, binomialFamily, probitLink)).toBe(false);
    expect(ScalarTermsGradient.applies(re, gammaFamily, inverseLink)).toBe(false);
    expect(ScalarTermsGradient.applies(re, gammaFamily, logLink)).toBe(false);
    // (x | g): one term with two columns.
    const n = m.n;
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const vector: ModelMatrices = {
      ...m,
      terms: [{ ...m.terms[0]!, columns: [new Float64Array(n).fill(1), x], columnNames: ['(Intercept)', 'x'] }],
    };
    const reVector = new RandomEffectsStructure(vector, [unstructuredCovariance]);
    expect(ScalarTermsGradient.applies(reVector, binomialFamily, logitLink)).toBe(false);
  });
});
