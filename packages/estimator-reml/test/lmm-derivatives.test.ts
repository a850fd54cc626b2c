import { describe, expect, it } from 'vitest';
import type { FitProblem, ModelMatrices, RandomTerm } from '@glmm/core';
import { DEFAULT_FIT_OPTIONS } from '@glmm/core';
import { diagonalCovariance, unstructuredCovariance } from '@glmm/covariance';
import { conditionalModes, RandomEffectsStructure } from '@glmm/engine';
import { createLmmEstimator, LmmDerivatives, LmmGeneralDerivatives, LmmObjective } from '@glmm/estimator-reml';
import { gaussianFamily } from '@glmm/family-gaussian';
import { identityLink } from '@glmm/links';
import { bobyqa, bobyqaOptimizer } from '@glmm/optimizer';
import { crossedInterceptModel, randomModel, rng } from '../../engine/test/structured-model.js';

const structureOf = (model: ModelMatrices) => new RandomEffectsStructure(model, model.terms.map(() => unstructuredCovariance));

/** Crossed a and b, plus the a:b interaction nested in both (three scalar terms), with prior weights. */
function threeTermModel(seed: number): ModelMatrices {
  const base = crossedInterceptModel({
    seed,
    A: 9,
    B: 6,
    n: 240,
    sdA: 0.8,
    sdB: 0.5,
    b0: 1,
    slope: 0.4,
    draw: (eta, _r, normal) => eta + 0.6 * normal(),
  });
  const rand = rng(seed + 1);
  const a = base.terms[0]!.index;
  const b = base.terms[1]!.index;
  const ab = Int32Array.from(a, (v, r) => v * 6 + b[r]!);
  const used = [...new Set(ab)].sort((x, y) => x - y);
  const code = new Map(used.map((v, i) => [v, i]));
  const abTerm: RandomTerm = {
    group: 'a:b',
    levels: used.map((v) => `ab${v}`),
    index: Int32Array.from(ab, (v) => code.get(v)!),
    columns: [new Float64Array(base.n).fill(1)],
    columnNames: ['(Intercept)'],
    covariance: 'unstructured',
  };
  const y = Float64Array.from(base.y, (v, r) => v + 0.3 * (((ab[r]! * 7919) % 13) / 13 - 0.5));
  return {
    ...base,
    y,
    weights: Float64Array.from({ length: base.n }, () => 0.5 + rand()),
    terms: [...base.terms, abTerm],
  };
}

/** The estimator's problem for a Gaussian model, unstructured covariances unless given. */
function problemOf(model: ModelMatrices, covariances: FitProblem['covariances'] = model.terms.map(() => unstructuredCovariance)): FitProblem {
  return { model, family: gaussianFamily, link: identityLink, covariances, optimizers: [bobyqaOptimizer], options: DEFAULT_FIT_OPTIONS };
}

/** The lowest deviance a tightly converged bobyqa finds from lme4's start and from next to `near`. */
function tightOptimum(re: RandomEffectsStructure, objective: LmmObjective, near: Float64Array): number {
  let best = Infinity;
  for (const start of [re.initialTheta(), Float64Array.from(near, (v, i) => (re.isDiagonal[i] ? v + 0.1 : v))])
    best = Math.min(best, bobyqa((th) => objective.deviance(th), start, { lower: re.lower, xtolAbs: 1e-10, ftolRel: 1e-15, maxEvaluations: 20000 }).fval);
  return best;
}

/**
 * The deviance and gradient at theta against the objective and its central
 * differences, and a symmetric Hessian.
 */
function expectExactGradient(
  objective: LmmObjective,
  derivatives: { evaluate(theta: Float64Array, g: Float64Array, H: Float64Array): number },
  theta: Float64Array,
): void {
  const T = theta.length;
  const g = new Float64Array(T);
  const H = new Float64Array(T * T);
  expect(derivatives.evaluate(theta, g, H)).toBeCloseTo(objective.deviance(theta), 9);
  for (let t = 0; t < T; t++) {
    const h = 1e-5;
    const up = Float64Array.from(theta);
    const down = Float64Array.from(theta);
    up[t]! += h;
    down[t]! -= h;
    const fd = (objective.deviance(up) - objective.deviance(down)) / (2 * h);
    expect(Math.abs(g[t]! - fd), `theta ${t}: ${g[t]} vs ${fd}`).toBeLessThan(1e-5 * (1 + Math.abs(fd)));
  }
  for (let s = 0; s < T; s++) for (let t = 0; t < s; t++) expect(H[s * T + t]).toBeCloseTo(H[t * T + s]!, 10);
}

const models: { label: string; model: ModelMatrices }[] = [
  {
    label: 'crossed intercepts',
    model: crossedInterceptModel({ seed: 3, A: 15, B: 8, n: 300, sdA: 1, sdB: 0.6, b0: 2, slope: 0.5, draw: (eta, _r, normal) => eta + normal() }),
  },
  { label: 'crossed and nested intercepts, weighted', model: threeTermModel(11) },
];

describe('LmmDerivatives: exact gradient of the profiled deviance', () => {
  for (const { label, model } of models)
    for (const reml of [false, true]) {
      it(`${label}, ${reml ? 'REML' : 'ML'}: matches central differences of the deviance`, () => {
        const re = structureOf(model);
        const objective = new LmmObjective(re, reml);
        const derivatives = new LmmDerivatives(objective);
        const T = re.nTheta;
        const rand = rng(5);
        for (let trial = 0; trial < 3; trial++) {
          const theta = Float64Array.from({ length: T }, () => 0.2 + 1.5 * rand());
          expectExactGradient(objective, derivatives, theta);
        }
      });
    }

  it('gives a Hessian close to the true one at the optimum of a model that fits', () => {
    const model = crossedInterceptModel({ seed: 21, A: 60, B: 40, n: 4000, sdA: 0.7, sdB: 0.5, b0: 1, draw: (eta, _r, normal) => eta + normal() });
    const re = structureOf(model);
    const objective = new LmmObjective(re, false);
    const opt = bobyqa((th) => objective.deviance(th), Float64Array.of(0.7, 0.5), { lower: re.lower, xtolAbs: 1e-9, ftolRel: 1e-15 });
    const derivatives = new LmmDerivatives(objective);
    const g = new Float64Array(2);
    const H = new Float64Array(4);
    derivatives.evaluate(opt.x, g, H);
    // Central differences of the exact gradient.
    const h = 1e-4;
    for (let t = 0; t < 2; t++) {
      const gu = new Float64Array(2);
      const gd = new Float64Array(2);
      const scratch = new Float64Array(4);
      const up = Float64Array.from(opt.x);
      const down = Float64Array.from(opt.x);
      up[t]! += h;
      down[t]! -= h;
      derivatives.evaluate(up, gu, scratch);
      derivatives.evaluate(down, gd, scratch);
      for (let s = 0; s < 2; s++) {
        const exact = (gu[s]! - gd[s]!) / (2 * h);
        expect(Math.abs(H[t * 2 + s]! - exact), `H[${s},${t}] ${H[t * 2 + s]} vs ${exact}`).toBeLessThan(0.1 * Math.abs(H[t * 2 + t]!));
      }
    }
  });
});

describe('Newton on LmmDerivatives in the LMM estimator', () => {
  const problem = (model: ModelMatrices): FitProblem => problemOf(model);
  const withZeroVariance = crossedInterceptModel({ seed: 8, A: 12, B: 6, n: 300, sdA: 0.9, sdB: 0, b0: 0.5, slope: 1, draw: (eta, _r, normal) => eta + normal() });
  const cases = [...models, { label: 'a term with no variance (optimum on the bound)', model: withZeroVariance }];
  for (const { label, model } of cases)
    for (const reml of [false, true]) {
      it(`${label}, ${reml ? 'REML' : 'ML'}: reaches bobyqa's optimum in a few evaluations`, () => {
        const fit = createLmmEstimator(reml).fit(problem(model));
        const re = structureOf(model);
        const objective = new LmmObjective(re, reml);
        const ref = bobyqa((th) => objective.deviance(th), Float64Array.from(re.initialTheta()), {
          lower: re.lower,
          xtolAbs: 1e-10,
          ftolRel: 1e-15,
          maxEvaluations: 5000,
        });
        const deviance = reml ? fit.remlCriterion! : -2 * fit.logLik;
        expect(fit.convergence.converged).toBe(true);
        expect(fit.convergence.optimizer).toBe('newton');
        expect(fit.convergence.evaluations).toBeLessThan(20);
        // Never worse than the tightly converged derivative-free search, and not far better.
        expect(deviance - ref.fval, `${deviance} vs ${ref.fval}`).toBeLessThan(1e-7 * Math.abs(ref.fval));
        expect(deviance - ref.fval).toBeGreaterThan(-1e-6 * Math.abs(ref.fval));
        for (let t = 0; t < re.nTheta; t++) expect(Math.abs(fit.theta[t]! - ref.x[t]!), `theta ${t}`).toBeLessThan(2e-4);
        if (model === withZeroVariance) {
          expect(ref.x[1]).toBe(0);
          expect(fit.theta[1]).toBe(0);
          expect(fit.singular).toBe(true);
        }
        // The modes' SDs reuse the last evaluation's inverse: they equal a fresh computation.
        objective.solve(fit.theta, true);
        const sol = objective.solve(fit.theta, true)!;
        const lambdas = re.lambdas(fit.theta);
        const fresh = conditionalModes(re, objective.system, lambdas, sol.u, fit.dispersion);
        for (let t = 0; t < fresh.length; t++)
          for (let j = 0; j < fresh[t]!.condSd.length; j++) expect(fit.modes[t]!.condSd[j]).toBeCloseTo(fresh[t]!.condSd[j]!, 8);
      });
    }

  it('hands a Newton search that stops short to bobyqa, which finishes from there', () => {
    const model = models[1]!.model;
    const full = createLmmEstimator(false).fit(problem(model));
    const capped = createLmmEstimator(false).fit({ ...problem(model), options: { ...DEFAULT_FIT_OPTIONS, maxIterations: 1 } });
    expect(capped.convergence.optimizer).toBe('newton+bobyqa');
    expect(capped.convergence.message).toMatch(/^newton: stopped at maxIterations; then /);
    expect(capped.convergence.converged).toBe(true);
    expect(capped.logLik).toBeCloseTo(full.logLik, 6);
  });
});

describe('Newton on LmmDerivatives over random designs', () => {
  /**
   * Two or three scalar terms (crossed, or the third nested in the first;
   * some slopes), random sizes and weights, and SDs of which about a third
   * are 0, so that many optima lie on the bound.
   */
  function randomDesign(rand: () => number): ModelMatrices {
    const normal = () => Math.sqrt(-2 * Math.log(rand() + 1e-300)) * Math.cos(2 * Math.PI * rand());
    const n = 30 + Math.floor(rand() * 500);
    const p = 1 + Math.floor(rand() * 3);
    const X = new Float64Array(n * p).fill(1, 0, n);
    for (let i = n; i < n * p; i++) X[i] = normal();
    const y = Float64Array.from({ length: n }, (_, r) => 0.3 * X[(p - 1) * n + r]! + normal());
    const terms: RandomTerm[] = [];
    const T = 2 + Math.floor(rand() * 2);
    while (terms.length < T) {
      const levels = 2 + Math.floor(rand() * (terms.length === 0 ? 40 : 12));
      const nested = terms.length === 2 && rand() < 0.5;
      const raw = Int32Array.from({ length: n }, (_, r) => (nested ? (terms[0]!.index[r]! * 3 + (r % 3)) % levels : Math.floor(rand() * levels)));
      const used = [...new Set(raw)].sort((a, b) => a - b);
      if (used.length < 2) continue;
      const code = new Map(used.map((v, i) => [v, i]));
      const index = Int32Array.from(raw, (v) => code.get(v)!);
      const slope = rand() < 0.2;
      const column = Float64Array.from({ length: n }, () => (slope ? normal() : 1));
      const sd = rand() < 0.3 ? 0 : 2 * rand();
      const effects = Array.from({ length: used.length }, () => sd * normal());
      for (let r = 0; r < n; r++) y[r]! += column[r]! * effects[index[r]!]!;
      terms.push({
        group: `g${terms.length}`,
        levels: used.map((v) => `l${v}`),
        index,
        columns: [column],
        columnNames: [slope ? 'x' : '(Intercept)'],
        covariance: 'unstructured',
      });
    }
    const weighted = rand() < 0.3;
    return {
      n,
      p,
      responseName: 'y',
      y,
      weights: Float64Array.from({ length: n }, () => (weighted ? 0.3 + 2 * rand() : 1)),
      trials: new Float64Array(n).fill(1),
      offset: new Float64Array(n),
      X,
      fixedNames: Array.from({ length: p }, (_, a) => `x${a}`),
      terms,
      usedRows: Int32Array.from({ length: n }, (_, i) => i),
      excluded: { count: 0, byReason: {}, rows: [] },
    };
  }

  it('reaches the optimum of a tight bobyqa search from two starts on 25 designs, ML and REML', () => {
    const rand = rng(2026);
    let onBound = 0;
    for (let trial = 0; trial < 25; trial++) {
      const model = randomDesign(rand);
      for (const reml of [false, true]) {
        const fit = createLmmEstimator(reml).fit(problemOf(model));
        expect(fit.convergence.optimizer).toBe('newton');
        expect(fit.convergence.converged).toBe(true);
        const re = structureOf(model);
        const best = tightOptimum(re, new LmmObjective(re, reml), fit.theta);
        const deviance = reml ? fit.remlCriterion! : -2 * fit.logLik;
        expect(deviance - best, `trial ${trial}, ${reml ? 'REML' : 'ML'}`).toBeLessThan(1e-8 * Math.max(1, Math.abs(best)));
        if (fit.theta.some((v) => v === 0)) onBound++;
      }
    }
    // The designs do exercise the bound.
    expect(onBound).toBeGreaterThan(5);
  });
});

describe('LmmGeneralDerivatives: terms with several columns', () => {
  const withCovariances = (model: ModelMatrices, diagonal: boolean) =>
    new RandomEffectsStructure(
      model,
      model.terms.map((t) => (diagonal && t.columns.length > 1 ? diagonalCovariance : unstructuredCovariance)),
    );
  const slopeModels = [
    { label: 'slope term crossed and nested with intercepts, weighted', model: randomModel(41, 160).model },
    { label: 'the same, more rows', model: randomModel(42, 400).model },
  ];
  for (const { label, model } of slopeModels)
    for (const diagonal of [false, true])
      for (const reml of [false, true]) {
        it(`${label}, ${diagonal ? 'diagonal' : 'unstructured'}, ${reml ? 'REML' : 'ML'}: gradient matches central differences`, () => {
          const re = withCovariances(model, diagonal);
          const objective = new LmmObjective(re, reml);
          const dLambda = re.lambdaDerivatives()!;
          expect(dLambda).not.toBeNull();
          const derivatives = new LmmGeneralDerivatives(objective, dLambda);
          const T = re.nTheta;
          const rand = rng(9);
          for (let trial = 0; trial < 3; trial++) {
            const theta = Float64Array.from({ length: T }, (_, i) => (re.isDiagonal[i] ? 0.3 + 1.2 * rand() : rand() - 0.5));
            expectExactGradient(objective, derivatives, theta);
          }
        });
      }

  it('agrees with LmmDerivatives on scalar terms (gradient and Hessian)', () => {
    const model = threeTermModel(13);
    for (const reml of [false, true]) {
      const re = structureOf(model);
      const objective = new LmmObjective(re, reml);
      const general = new LmmGeneralDerivatives(objective, re.lambdaDerivatives()!);
      const scalar = new LmmDerivatives(objective);
      const theta = Float64Array.of(0.7, 0.4, 0.9);
      const g1 = new Float64Array(3);
      const g2 = new Float64Array(3);
      const H1 = new Float64Array(9);
      const H2 = new Float64Array(9);
      expect(general.evaluate(theta, g1, H1)).toBe(scalar.evaluate(theta, g2, H2));
      for (let i = 0; i < 3; i++) expect(Math.abs(g1[i]! - g2[i]!)).toBeLessThan(1e-8 * (1 + Math.abs(g2[i]!)));
      for (let i = 0; i < 9; i++) expect(Math.abs(H1[i]! - H2[i]!)).toBeLessThan(1e-8 * (1 + Math.abs(H2[i]!)));
    }
  });

  it('does not apply to a covariance that is not linear in its theta', () => {
    const model = randomModel(43, 100).model;
    const squared = {
      ...unstructuredCovariance,
      name: 'squared',
      // Not linear in theta, so it does not declare itself so.
      linearInTheta: false,
      lambda: (theta: Float64Array, k: number, out: Float64Array) => {
        unstructuredCovariance.lambda(theta.map((v) => v * v), k, out);
      },
    };
    const re = new RandomEffectsStructure(model, model.terms.map((t) => (t.columns.length > 1 ? squared : unstructuredCovariance)));
    expect(re.lambdaDerivatives()).toBeNull();
    const fit = createLmmEstimator(true).fit(problemOf(model, re.covariances));
    expect(fit.convergence.optimizer).toBe('bobyqa');
  });

  it("reaches the optimum of a tight bobyqa search on crossed random slopes, correlated or not", () => {
    const rand = rng(77);
    for (let trial = 0; trial < 8; trial++) {
      const model = randomModel(100 + trial, 150 + Math.floor(rand() * 300)).model;
      for (const diagonal of [false, true])
        for (const reml of [false, true]) {
          const re = withCovariances(model, diagonal);
          const fit = createLmmEstimator(reml).fit(problemOf(model, re.covariances));
          expect(fit.convergence.optimizer).toBe('newton');
          const best = tightOptimum(re, new LmmObjective(re, reml), fit.theta);
          const deviance = reml ? fit.remlCriterion! : -2 * fit.logLik;
          expect(deviance - best, `trial ${trial}, ${diagonal ? 'diagonal' : 'unstructured'}, ${reml ? 'REML' : 'ML'}`).toBeLessThan(1e-8 * Math.max(1, Math.abs(best)));
        }
    }
  });
});
