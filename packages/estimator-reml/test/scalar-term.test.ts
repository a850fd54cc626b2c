import { describe, expect, it } from 'vitest';
import type { FitProblem, ModelMatrices } from '@glmm/core';
import { DEFAULT_FIT_OPTIONS } from '@glmm/core';
import { unstructuredCovariance } from '@glmm/covariance';
import { conditionalModes, RandomEffectsStructure } from '@glmm/engine';
import { inverseFromCholesky } from '@glmm/linalg';
import { LmmObjective, remlEstimator } from '@glmm/estimator-reml';
import { gaussianFamily } from '@glmm/family-gaussian';
import { identityLink } from '@glmm/links';
import { bobyqaOptimizer } from '@glmm/optimizer';
import { lmmRows } from '../src/lmm-rows.js';
import { randomModel, rng, scalarModel } from '../../engine/test/structured-model.js';
import { denseLmm, denseZ } from './dense-lmm.js';

function relClose(actual: number, expected: number, tol: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol * (1 + Math.abs(expected)));
}

const structureOf = (model: ModelMatrices) => new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));

describe('one scalar term: closed-form profiled deviance', () => {
  const cases = [
    { label: 'intercept, p = 3', model: scalarModel({ seed: 1, p: 3 }) },
    { label: 'weighted with offset, p = 2', model: scalarModel({ seed: 2, p: 2, weighted: true, offset: true }) },
    { label: 'slope term, p = 1', model: scalarModel({ seed: 3, p: 1, slope: true, weighted: true }) },
    { label: 'no fixed effects', model: scalarModel({ seed: 4, p: 0, offset: true }) },
    { label: 'p = 5 (generic kernel)', model: scalarModel({ seed: 5, p: 5, weighted: true, offset: true }) },
  ];
  for (const { label, model } of cases)
    for (const reml of [true, false]) {
      it(`${label}, ${reml ? 'REML' : 'ML'}: matches the block factorisation and dense algebra`, () => {
        const re = structureOf(model);
        const objective = new LmmObjective(re, reml);
        for (const t of [0, 0.05, 0.8, 3]) {
          const theta = Float64Array.of(t);
          const closed = objective.deviance(theta);
          const factored = objective.solve(theta, true)!;
          relClose(closed, factored.deviance, 1e-11, `closed form vs factor at theta ${t}`);
          relClose(closed, denseLmm(re, theta, reml).deviance, 1e-9, `closed form vs dense at theta ${t}`);
        }
      });
    }

  it('spans many levels and rows with batched log-determinants', () => {
    const model = scalarModel({ seed: 6, p: 3, weighted: true, offset: true, n: 30_000, levels: 2500 });
    const objective = new LmmObjective(structureOf(model), true);
    for (const t of [0.2, 1.5, 40]) {
      const theta = Float64Array.of(t);
      relClose(objective.deviance(theta), objective.solve(theta, true)!.deviance, 1e-11, `theta ${t}`);
    }
  });

  it('reports an overflowing theta as a failed evaluation, not NaN', () => {
    const objective = new LmmObjective(structureOf(scalarModel({ seed: 8, p: 2 })), true);
    expect(objective.deviance(Float64Array.of(1e200))).toBe(Infinity);
    expect(Number.isFinite(objective.deviance(Float64Array.of(1e5)))).toBe(true);
  });

  it('knows whether the weights are all 1', () => {
    expect(new LmmObjective(structureOf(scalarModel({ seed: 7, p: 2 })), true).unitWeights).toBe(true);
    expect(new LmmObjective(structureOf(scalarModel({ seed: 7, p: 2, weighted: true })), true).unitWeights).toBe(false);
  });
});

describe('one scalar term: closed-form solution', () => {
  const cases = [
    { label: 'intercept, p = 3', model: scalarModel({ seed: 51, p: 3 }) },
    { label: 'weighted with offset, p = 2', model: scalarModel({ seed: 52, p: 2, weighted: true, offset: true }) },
    { label: 'slope term, p = 1', model: scalarModel({ seed: 53, p: 1, slope: true, weighted: true }) },
    { label: 'no fixed effects', model: scalarModel({ seed: 54, p: 0, offset: true }) },
    { label: 'p = 5 (generic kernel)', model: scalarModel({ seed: 55, p: 5, weighted: true, offset: true }) },
    { label: 'many levels', model: scalarModel({ seed: 56, p: 4, weighted: true, n: 20_000, levels: 3000 }) },
  ];
  for (const { label, model } of cases)
    it(`${label}: beta, u, vcov and conditional SDs equal the block factor's`, () => {
      const re = structureOf(model);
      const closed = new LmmObjective(re, true);
      const blocked = new LmmObjective(re, true);
      const p = model.p;
      for (const t of [0.05, 0.7, 4]) {
        const theta = Float64Array.of(t);
        const opt = closed.optimum(theta)!;
        // The block path: factor at theta, then the inverse of the fixed-effects block and the modes from it.
        const ref = blocked.solve(theta, true)!;
        const system = blocked.system;
        const refInverse = p > 0 ? inverseFromCholesky(system.chol.values, p, system.pattern.diagOffset[system.xNode]!) : new Float64Array(0);
        const lambdas = re.lambdas(theta);
        const refModes = conditionalModes(re, system, lambdas, ref.u, 2.5)[0]!;
        const modes = opt.modes(lambdas, 2.5)[0]!;
        const what = `theta ${t}`;
        relClose(opt.solution.deviance, ref.deviance, 1e-12, `deviance, ${what}`);
        relClose(opt.solution.pwrss, ref.pwrss, 1e-12, `pwrss, ${what}`);
        relClose(opt.solution.ldL2, ref.ldL2, 1e-12, `ldL2, ${what}`);
        relClose(opt.solution.ldRX2, ref.ldRX2, 1e-12, `ldRX2, ${what}`);
        ref.beta.forEach((v, a) => relClose(opt.solution.beta[a]!, v, 1e-10, `beta[${a}], ${what}`));
        ref.u.forEach((v, j) => relClose(opt.solution.u[j]!, v, 1e-10, `u[${j}], ${what}`));
        expect(opt.fixedInverse).toHaveLength(p * p);
        refInverse.forEach((v, i) => relClose(opt.fixedInverse[i]!, v, 1e-10, `inverse[${i}], ${what}`));
        expect(modes.levels).toBe(refModes.levels);
        expect(modes.group).toBe(refModes.group);
        expect(modes.columnNames).toBe(refModes.columnNames);
        refModes.values.forEach((v, j) => relClose(modes.values[j]!, v, 1e-10, `b[${j}], ${what}`));
        refModes.condSd.forEach((v, j) => relClose(modes.condSd[j]!, v, 1e-12, `condSd[${j}], ${what}`));
      }
      // Each optimum counts as an evaluation, as the final factor did.
      expect(closed.evaluations).toBe(3);
    });

  it('builds the block system only when asked for it', () => {
    const re = structureOf(scalarModel({ seed: 57, p: 2 }));
    const objective = new LmmObjective(re, false);
    const before = objective.deviance(Float64Array.of(0.4));
    const system = objective.system;
    expect(objective.system).toBe(system);
    relClose(objective.solve(Float64Array.of(0.4), true)!.deviance, before, 1e-12, 'deviance through the block system');
  });

  it('returns null where S is not positive definite', () => {
    // Two identical columns of X: S is singular at any theta.
    const model = scalarModel({ seed: 58, p: 2 });
    const X = Float64Array.from(model.X);
    X.copyWithin(model.n, 0, model.n);
    const objective = new LmmObjective(structureOf({ ...model, X }), true);
    expect(objective.optimum(Float64Array.of(0.5))).toBeNull();
  });
});

/** Brute-force eta = offset + X beta + Z b and the residuals. */
function denseRows(model: ModelMatrices, beta: Float64Array, b: Float64Array) {
  const { Z, q } = denseZ(model);
  const n = model.n;
  const eta = new Float64Array(n);
  let dev = 0;
  for (let r = 0; r < n; r++) {
    let e = model.offset[r]!;
    for (let a = 0; a < model.p; a++) e += model.X[a * n + r]! * beta[a]!;
    for (let j = 0; j < q; j++) e += Z[r * q + j]! * b[j]!;
    eta[r] = e;
    dev += model.weights[r]! * (model.y[r]! - e) ** 2;
  }
  return { eta, dev };
}

describe('lmmRows', () => {
  const models = [
    ...[0, 1, 3, 4, 5].map((p) => ({ label: `intercept p = ${p}`, model: scalarModel({ seed: 20 + p, p, offset: true }) })),
    { label: 'weighted slope', model: scalarModel({ seed: 30, p: 2, slope: true, weighted: true, offset: true }) },
    { label: 'long (several chunks)', model: scalarModel({ seed: 31, p: 3, weighted: true, n: 10_000, levels: 50 }) },
    { label: 'crossed, nested and slope terms', model: randomModel(32).model },
  ];
  for (const { label, model } of models) {
    it(`${label}: eta, residuals and deviance match brute force`, () => {
      const re = structureOf(model);
      const rand = rng(7);
      const beta = Float64Array.from({ length: model.p }, () => rand() - 0.5);
      const b = Float64Array.from({ length: re.q }, () => rand() - 0.5);
      const unit = model.weights.every((w) => w === 1);
      const rows = lmmRows(re, beta, b, unit);
      const ref = denseRows(model, beta, b);
      for (let r = 0; r < model.n; r++) {
        relClose(rows.eta[r]!, ref.eta[r]!, 1e-13, `eta[${r}]`);
        expect(rows.residResponse[r]).toBe(model.y[r]! - rows.eta[r]!);
        const w = model.weights[r]!;
        expect(rows.residDeviance[r]).toBe(w === 1 ? rows.residResponse[r] : Math.sqrt(w) * rows.residResponse[r]!);
      }
      relClose(rows.conditionalDeviance, ref.dev, 1e-12, 'conditional deviance');
      // Unit weights share one array for both residuals; other weights need their own.
      expect(rows.residDeviance === rows.residResponse).toBe(unit);
    });
  }
});

describe('lmmRows of a random intercept with unit weights', () => {
  it('gives the same rows to the bit when z and the weights are one shared column of ones', () => {
    for (const p of [0, 2, 4]) {
      const model = scalarModel({ seed: 80 + p, p, offset: true, n: 9000, levels: 40 });
      const ones = new Float64Array(model.n).fill(1);
      const shared = { ...model, weights: ones, trials: ones, terms: [{ ...model.terms[0]!, columns: [ones] }] };
      const rand = rng(9);
      const beta = Float64Array.from({ length: p }, () => rand() - 0.5);
      const b = Float64Array.from({ length: 40 }, () => rand() - 0.5);
      const a = lmmRows(structureOf(model), beta, b, true);
      const c = lmmRows(structureOf(shared), beta, b, true);
      expect(Array.from(c.eta)).toEqual(Array.from(a.eta));
      expect(Array.from(c.residResponse)).toEqual(Array.from(a.residResponse));
      expect(c.residDeviance).toBe(c.residResponse);
      expect(c.conditionalDeviance).toBe(a.conditionalDeviance);
    }
  });
});

describe('REML fit of one scalar term', () => {
  const problem = (model: ModelMatrices): FitProblem => ({
    model,
    family: gaussianFamily,
    link: identityLink,
    covariances: [unstructuredCovariance],
    optimizers: [bobyqaOptimizer],
    options: DEFAULT_FIT_OPTIONS,
  });

  for (const weighted of [false, true]) {
    it(`${weighted ? 'weighted' : 'unit weights'}: shares fitted/eta and Pearson/deviance residuals, values from dense algebra`, () => {
      const model = scalarModel({ seed: 40, p: 2, weighted, offset: true, n: 300, levels: 12 });
      const fit = remlEstimator.fit(problem(model));
      expect(fit.fitted).toBe(fit.eta);
      expect(fit.residPearson).toBe(fit.residDeviance);
      expect(fit.residDeviance === fit.residResponse).toBe(!weighted);
      const re = structureOf(model);
      const dense = denseLmm(re, fit.theta, true);
      relClose(fit.remlCriterion!, dense.deviance, 1e-9, 'REML criterion');
      relClose(fit.logLik, -dense.deviance / 2, 1e-9, 'logLik');
      fit.beta.forEach((v, a) => relClose(v, dense.beta[a]!, 1e-8, `beta[${a}]`));
      // The optimum of the closed form is the optimum of the dense criterion.
      for (const step of [-1e-3, 1e-3]) {
        const nearby = denseLmm(re, Float64Array.of(fit.theta[0]! + step), true).deviance;
        expect(nearby).toBeGreaterThan(dense.deviance - 1e-9);
      }
    });
  }
});
