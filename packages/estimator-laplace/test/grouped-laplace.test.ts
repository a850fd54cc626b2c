import { describe, expect, it } from 'vitest';
import type { Family, Link, ModelMatrices } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { RandomEffectsStructure } from '@glmm/engine';
import { fusedGlm, glmStartingBeta, GlmResponse, GroupedLaplace, LaplaceObjective, ScalarTermGradient } from '@glmm/estimator-laplace';
import { binomialFamily } from '@glmm/family-binomial';
import { poissonFamily } from '@glmm/family-poisson';
import { cloglogLink, logLink, logitLink, probitLink, sqrtLink } from '@glmm/links';
import { rng } from '../../engine/test/structured-model.js';
import { oneTermModel } from './one-term-model.js';

function model(kind: 'counts' | 'binary', slope: boolean): ModelMatrices {
  return oneTermModel({ kind, slope, seed: kind === 'counts' ? 31 : 32, n: 157, groups: 12, unbalanced: true });
}

const cases: [string, 'counts' | 'binary', Family, Link, boolean][] = [
  ['poisson log, intercept', 'counts', poissonFamily, logLink, false],
  ['poisson log, slope', 'counts', poissonFamily, logLink, true],
  ['binomial logit, intercept', 'binary', binomialFamily, logitLink, false],
  ['binomial probit (non-canonical), intercept', 'binary', binomialFamily, probitLink, false],
  ['binomial cloglog, slope', 'binary', binomialFamily, cloglogLink, true],
];

describe('GroupedLaplace: the fused one-scalar-term Laplace kernel', () => {
  for (const [label, kind, family, link, slope] of cases) {
    it(`equals PIRLS + ScalarTermGradient in value and gradient: ${label}`, () => {
      const m = model(kind, slope);
      const re = new RandomEffectsStructure(m, [unstructuredCovariance]);
      const response = new GlmResponse(m, family, link);
      const obj = new LaplaceObjective(re, response, 200, null);
      const reference = new ScalarTermGradient(m, response);
      const kernel = GroupedLaplace.create(m, family, link, response.aic(0))!;
      expect(kernel).not.toBeNull();
      for (const x of [Float64Array.of(0.8, kind === 'counts' ? 0.7 : -0.6, 0.4), Float64Array.of(1.7, 0.1, -0.9), Float64Array.of(0.05, 0.3, 0.2)]) {
        const theta = x.subarray(0, 1);
        const beta = x.subarray(1);
        const expected = obj.deviance(theta, beta, 1e-14);
        const gExpected = new Float64Array(3);
        reference.gradient(x[0]!, beta, obj.pirls.u, obj.pirls.eta, gExpected);
        const g = new Float64Array(3);
        const value = kernel.evaluate(x[0]!, beta, g);
        expect(Math.abs(value - expected)).toBeLessThan(1e-9 * Math.abs(expected));
        // The kernel stops Newton one quadratic step earlier than PIRLS at 1e-14
        // (modes to ~1e-8), which the gradient feels at first order.
        for (let k = 0; k < 3; k++) expect(Math.abs(g[k]! - gExpected[k]!)).toBeLessThan(2e-5 * Math.max(1, Math.abs(gExpected[k]!)));
        for (let j = 0; j < re.q; j++) expect(Math.abs(kernel.u[j]! - obj.pirls.u[j]!)).toBeLessThan(1e-7);
      }
    });

    it(`has a gradient equal to central differences of its own value: ${label}`, () => {
      const m = model(kind, slope);
      const response = new GlmResponse(m, family, link);
      const kernel = GroupedLaplace.create(m, family, link, response.aic(0))!;
      const x = Float64Array.of(0.6, 0.2, -0.3);
      const g = new Float64Array(3);
      const scratch = new Float64Array(3);
      kernel.evaluate(x[0]!, x.subarray(1), g);
      for (let k = 0; k < 3; k++) {
        const h = 1e-5;
        const up = Float64Array.from(x);
        const dn = Float64Array.from(x);
        up[k]! += h;
        dn[k]! -= h;
        const fd = (kernel.evaluate(up[0]!, up.subarray(1), scratch) - kernel.evaluate(dn[0]!, dn.subarray(1), scratch)) / (2 * h);
        expect(Math.abs(g[k]! - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it('finds the modes from far-off predictions (a large step in beta after a gradient)', () => {
    const m = model('counts', false);
    const response = new GlmResponse(m, poissonFamily, logLink);
    const kernel = GroupedLaplace.create(m, poissonFamily, logLink, response.aic(0))!;
    const g = new Float64Array(3);
    const near = kernel.evaluate(0.5, Float64Array.of(0.5, 0.3), g);
    // The prediction from the last point is wildly off at the next one; the safeguards must still find the modes.
    const far = kernel.evaluate(3, Float64Array.of(-6, 4), g);
    expect(Number.isFinite(near)).toBe(true);
    expect(Number.isFinite(far)).toBe(true);
    const fresh = GroupedLaplace.create(m, poissonFamily, logLink, response.aic(0))!;
    expect(Math.abs(fresh.evaluate(3, Float64Array.of(-6, 4), g) - far)).toBeLessThan(1e-8 * Math.abs(far));
    expect(kernel.failures).toBe(0);
  });

  it('is exact at theta = 0 (modes 0, the GLM deviance)', () => {
    const m = model('binary', false);
    const response = new GlmResponse(m, binomialFamily, logitLink);
    const kernel = GroupedLaplace.create(m, binomialFamily, logitLink, response.aic(0))!;
    const g = new Float64Array(3);
    const beta = Float64Array.of(-0.2, 0.5);
    const value = kernel.evaluate(0, beta, g);
    const eta = Float64Array.from(m.offset, (o, r) => o + beta[0]! + beta[1]! * m.X[m.n + r]!);
    const dev = binomialFamily.devResiduals(m.y, logitLink.linkinv(eta), m.weights).reduce((a, b) => a + b, 0);
    expect(Math.abs(value - response.aic(dev))).toBeLessThan(1e-9 * Math.abs(value));
    expect(Array.from(kernel.u).every((v) => v === 0)).toBe(true);
  });

  it('declines links and families without per-element functions, dispersion families and several terms', () => {
    const m = model('counts', false);
    expect(GroupedLaplace.create(m, poissonFamily, sqrtLink, 0)).toBeNull();
    const two = { ...m, terms: [m.terms[0]!, m.terms[0]!] };
    expect(GroupedLaplace.create(two, poissonFamily, logLink, 0)).toBeNull();
  });
});

describe('fusedGlm: the theta = 0 start in fused row passes', () => {
  for (const [label, kind, family, link] of cases) {
    it(`agrees with the joint PIRLS at theta = 0: ${label}`, () => {
      const m = model(kind, false);
      const re = new RandomEffectsStructure(m, [unstructuredCovariance]);
      const response = new GlmResponse(m, family, link);
      const obj = new LaplaceObjective(re, response, 200, null);
      const start = glmStartingBeta(response)!;
      obj.joint.beta.set(start);
      obj.stage1(new Float64Array(1));
      const fit = fusedGlm(m, family, link, 50)!;
      // The default two steps, all a start needs, already come close.
      const twoSteps = fusedGlm(m, family, link)!;
      for (let a = 0; a < m.p; a++) expect(Math.abs(twoSteps.beta[a]! - obj.joint.beta[a]!)).toBeLessThan(0.05);
      // fusedGlm stops at R's glm.fit criterion (deviance change 1e-8), PIRLS runs to 1e-10.
      for (let a = 0; a < m.p; a++) expect(Math.abs(fit.beta[a]! - obj.joint.beta[a]!)).toBeLessThan(1e-4);
      const sys = obj.joint.system;
      const off = sys.pattern.diagOffset[sys.xNode]!;
      for (let a = 0; a < m.p; a++)
        for (let c = 0; c <= a; c++) {
          const ref = sys.chol.values[off + c * m.p + a]!;
          expect(Math.abs(fit.cholXtWX[c * m.p + a]! - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
        }
    });
  }
});

describe('GroupedLaplace approximate Hessian', () => {
  for (const [label, kind, family, link, slope] of cases) {
    it(`is close to the Hessian from differences of the exact gradient: ${label}`, () => {
      const m = model(kind, slope);
      const response = new GlmResponse(m, family, link);
      const kernel = GroupedLaplace.create(m, family, link, response.aic(0))!;
      const x = Float64Array.of(0.7, 0.2, -0.3);
      const g = new Float64Array(3);
      const H = new Float64Array(9);
      kernel.evaluate(x[0]!, x.subarray(1), g, H);
      const gp = new Float64Array(3);
      const gm = new Float64Array(3);
      let norm = 0;
      let err = 0;
      for (let k = 0; k < 3; k++) {
        const h = 1e-4;
        const up = Float64Array.from(x);
        const dn = Float64Array.from(x);
        up[k]! += h;
        dn[k]! -= h;
        kernel.evaluate(up[0]!, up.subarray(1), gp);
        kernel.evaluate(dn[0]!, dn.subarray(1), gm);
        for (let i = 0; i < 3; i++) {
          const fd = (gp[i]! - gm[i]!) / (2 * h);
          norm += fd * fd;
          err += (H[k * 3 + i]! - fd) ** 2;
          // Symmetric by construction.
          expect(H[k * 3 + i]).toBe(H[i * 3 + k]);
        }
      }
      // Only the log-determinant's third-derivative terms are missing.
      expect(Math.sqrt(err / norm)).toBeLessThan(0.1);
    });
  }
});

describe('GroupedLaplace.writeState', () => {
  it('writes the same per-row state and Cholesky diagonal as PIRLS at the mode, in the original row order', () => {
    const m = model('counts', true);
    const re = new RandomEffectsStructure(m, [unstructuredCovariance]);
    const response = new GlmResponse(m, poissonFamily, logLink);
    const obj = new LaplaceObjective(re, response, 200, null);
    const kernel = GroupedLaplace.create(m, poissonFamily, logLink, response.aic(0))!;
    kernel.lastStep = 1e-7;
    const theta = 0.9;
    const beta = Float64Array.of(0.4, -0.2);
    kernel.evaluate(theta, beta, new Float64Array(3));
    const n = m.n;
    const state = { eta: new Float64Array(n), mu: new Float64Array(n), devRes: new Float64Array(n), muEta: new Float64Array(n), variance: new Float64Array(n) };
    const Ldiag = new Float64Array(re.q);
    kernel.writeState(theta, beta, state, Ldiag);
    obj.mode(Float64Array.of(theta), beta, 1e-14);
    const sys = obj.pirls.system;
    for (let r = 0; r < n; r++) {
      expect(Math.abs(state.eta[r]! - obj.pirls.eta[r]!)).toBeLessThan(1e-10);
      expect(Math.abs(state.mu[r]! - response.mu[r]!)).toBeLessThan(1e-10 * Math.max(1, response.mu[r]!));
      expect(Math.abs(state.devRes[r]! - response.devRes[r]!)).toBeLessThan(1e-9);
      expect(state.variance[r]).toBeCloseTo(state.mu[r]!, 14);
    }
    for (let j = 0; j < re.q; j++) expect(Math.abs(Ldiag[j]! - sys.chol.values[sys.pattern.diagOffset[j]!]!)).toBeLessThan(1e-10);
  });
});

describe('GroupedLaplace: Poisson-log random intercepts by sufficient statistics', () => {
  it('equals PIRLS also where some groups must fall back to rows (eta below the log link clamp)', () => {
    const base = model('counts', false);
    // Group 0's rows sit far below log(DBL_EPSILON): mu is clamped there, so those groups go row by row.
    const offset = Float64Array.from(base.offset, (o, r) => (base.terms[0]!.index[r] === 0 ? o - 45 : o));
    const y = Float64Array.from(base.y, (v, r) => (base.terms[0]!.index[r] === 0 ? 0 : v));
    const m: ModelMatrices = { ...base, offset, y };
    const re = new RandomEffectsStructure(m, [unstructuredCovariance]);
    const response = new GlmResponse(m, poissonFamily, logLink);
    const obj = new LaplaceObjective(re, response, 200, null);
    const reference = new ScalarTermGradient(m, response);
    const kernel = GroupedLaplace.create(m, poissonFamily, logLink, response.aic(0))!;
    for (const x of [Float64Array.of(0.8, 0.7, 0.4), Float64Array.of(1.5, 0.2, -0.6)]) {
      const expected = obj.deviance(x.subarray(0, 1), x.subarray(1), 1e-14);
      const gExpected = new Float64Array(3);
      reference.gradient(x[0]!, x.subarray(1), obj.pirls.u, obj.pirls.eta, gExpected);
      const g = new Float64Array(3);
      const value = kernel.evaluate(x[0]!, x.subarray(1), g);
      expect(Math.abs(value - expected)).toBeLessThan(1e-9 * Math.abs(expected));
      for (let k = 0; k < 3; k++) expect(Math.abs(g[k]! - gExpected[k]!)).toBeLessThan(2e-5 * Math.max(1, Math.abs(gExpected[k]!)));
      for (let j = 0; j < re.q; j++) expect(Math.abs(kernel.u[j]! - obj.pirls.u[j]!)).toBeLessThan(1e-7);
    }
  });

  it('gives the same value, gradient and Hessian as the row-wise kernel (a slope column of ones is still an intercept)', () => {
    const m = model('counts', false);
    const response = new GlmResponse(m, poissonFamily, logLink);
    const sufficient = GroupedLaplace.create(m, poissonFamily, logLink, response.aic(0))!;
    // The same model through a link object that is not named "log": the row-wise path.
    const rowWise = GroupedLaplace.create(m, poissonFamily, { ...logLink, name: 'log (row-wise)' }, response.aic(0))!;
    const g1 = new Float64Array(3);
    const g2 = new Float64Array(3);
    const H1 = new Float64Array(9);
    const H2 = new Float64Array(9);
    rowWise.lastStep = 1e-7;
    const x = Float64Array.of(0.9, 0.3, -0.2);
    const v1 = sufficient.evaluate(x[0]!, x.subarray(1), g1, H1);
    const v2 = rowWise.evaluate(x[0]!, x.subarray(1), g2, H2);
    expect(Math.abs(v1 - v2)).toBeLessThan(1e-10 * Math.abs(v2));
    for (let k = 0; k < 3; k++) expect(Math.abs(g1[k]! - g2[k]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(g2[k]!)));
    for (let k = 0; k < 9; k++) expect(Math.abs(H1[k]! - H2[k]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(H2[k]!)));
  });
});

describe('GroupedLaplace.momentTheta', () => {
  function poissonGroups(theta: number, groups: number, size: number, seed: number): ModelMatrices {
    const rand = rng(seed);
    const n = groups * size;
    const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
    const u = Array.from({ length: groups }, () => theta * normal());
    const g = Int32Array.from({ length: n }, (_, r) => r % groups);
    const y = Float64Array.from({ length: n }, (_, r) => {
      const mu = Math.exp(0.5 + u[g[r]!]!);
      let k = 0;
      let p = Math.exp(-mu);
      let c = p;
      const v = rand();
      while (v > c && k < 1000) {
        k++;
        p *= mu / k;
        c += p;
      }
      return k;
    });
    return {
      n,
      p: 1,
      responseName: 'y',
      y,
      weights: new Float64Array(n).fill(1),
      trials: new Float64Array(n).fill(1),
      offset: new Float64Array(n),
      X: new Float64Array(n).fill(1),
      fixedNames: ['(Intercept)'],
      terms: [{ group: 'g', levels: Array.from({ length: groups }, (_, i) => `g${i}`), index: g, columns: [new Float64Array(n).fill(1)], columnNames: ['(Intercept)'], covariance: 'unstructured' }],
      usedRows: Int32Array.from({ length: n }, (_, i) => i),
      excluded: { count: 0, byReason: {}, rows: [] },
    };
  }

  it('lands near the true random-effect SD, and at its floor when there is no group effect', () => {
    for (const theta of [0.3, 0.7, 1.5]) {
      const m = poissonGroups(theta, 300, 20, 41);
      const kernel = GroupedLaplace.create(m, poissonFamily, logLink, 0)!;
      // beta at the marginal log mean: what the GLM start gives for an intercept-only model.
      let s = 0;
      for (const v of m.y) s += v;
      const start = kernel.momentTheta(Float64Array.of(Math.log(s / m.n)), 0.05);
      expect(start).toBeGreaterThan(theta * 0.6);
      expect(start).toBeLessThan(theta * 1.6);
    }
    const none = poissonGroups(0, 300, 20, 43);
    let s = 0;
    for (const v of none.y) s += v;
    const start = GroupedLaplace.create(none, poissonFamily, logLink, 0)!.momentTheta(Float64Array.of(Math.log(s / none.n)), 0.05);
    expect(start).toBeGreaterThanOrEqual(0.05);
    expect(start).toBeLessThan(0.15);
  });
});
