import { readFileSync } from 'node:fs';
import { FitAbortedError, type FitProblem } from '@glmm/core';
import { lmmDeviance } from '@glmm/model';
import { describe, expect, it } from 'vitest';
import { CovarianceParameters, covarianceTerms, lmmOptimum, normInter, parametricBootstrap, type BootstrapModel } from '../src/index.js';
import { datasetsRoot, fitCase } from './reference.js';

/** A seeded normal stream for the test's own simulation (the model's simulate() is the model package's). */
function normals(seed: number): () => number {
  let s = seed >>> 0;
  const u = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** sleepstudy's (Days | Subject) LMM: simulate from the fit and refit by REML from its theta. */
function sleepstudyModel(): { model: BootstrapModel; se: number[] } {
  const c = fitCase('sleepstudy_slopes_reml');
  const m = c.problem.model;
  const term = m.terms[0]!;
  const params = new CovarianceParameters(covarianceTerms(m.terms, c.problem.covariances), true);
  const vp = params.fromTheta(c.theta, c.results.sigma);
  const [s0, rho, s1, sigma] = [vp[0]!, vp[1]!, vp[2]!, vp[3]!];
  return {
    se: c.results.fixedEffects.map((r) => r.stdError),
    model: {
      names: [...m.fixedNames, ...params.names],
      estimates: Float64Array.from([...c.beta, ...vp]),
      simulate(seed) {
        const z = normals(seed);
        const b = term.levels.map(() => {
          const z0 = z();
          const z1 = z();
          return [s0 * z0, s1 * (rho * z0 + Math.sqrt(1 - rho * rho) * z1)] as const;
        });
        const y = new Float64Array(m.n);
        for (let i = 0; i < m.n; i++) {
          const bi = b[term.index[i]!]!;
          y[i] = c.beta[0]! + c.beta[1]! * m.X[m.n + i]! + bi[0] + bi[1] * term.columns[1]![i]! + sigma * z();
        }
        return y;
      },
      refit(y) {
        const problem: FitProblem = { ...c.problem, model: { ...m, y } };
        const opt = lmmOptimum(lmmDeviance(problem, c.estimator, true), c.theta, true);
        return Float64Array.from([...opt.beta, ...params.fromTheta(opt.theta, opt.sigma)]);
      },
    },
  };
}

describe('parametric bootstrap', () => {
  it("interpolates percentiles as boot's norm.inter (lme4's confint type 'perc')", () => {
    const ref = JSON.parse(readFileSync(`${datasetsRoot}inference-fixtures/norm_inter.json`, 'utf8')) as { values: number[]; alpha: number[]; quantiles: number[] };
    const sorted = Float64Array.from(ref.values).sort();
    ref.alpha.forEach((a, i) => expect(normInter(sorted, a)).toBeCloseTo(ref.quantiles[i]!, 12));
  });

  it('is seeded, reports progress and gives intervals consistent with the standard errors', () => {
    const { model, se } = sleepstudyModel();
    const progress: number[] = [];
    const a = parametricBootstrap(model, { nsim: 200, seed: 42, onProgress: (p) => progress.push(p.iteration!) });
    expect(progress).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(a.failures).toBe(0);
    expect(a.rows.map((r) => r.name)).toEqual(['(Intercept)', 'Days', 'sd_(Intercept)|Subject', 'cor_Days.(Intercept)|Subject', 'sd_Days|Subject', 'sigma']);
    // The bootstrap SD of the fixed effects estimates their SE (200 replicates: within about 10% of it).
    se.forEach((s, j) => expect(Math.abs(a.rows[j]!.stdError / s - 1)).toBeLessThan(0.2));
    for (const row of a.rows) expect(row.lower < row.estimate && row.estimate < row.upper).toBe(true);
    const b = parametricBootstrap(model, { nsim: 200, seed: 42 });
    expect(b.rows).toEqual(a.rows);
    const c = parametricBootstrap(model, { nsim: 200, seed: 43 });
    expect(c.rows[0]!.lower).not.toBe(a.rows[0]!.lower);
  });

  it('stops on the signal with FitAbortedError and leaves failed refits out', () => {
    const { model } = sleepstudyModel();
    const controller = new AbortController();
    expect(() =>
      parametricBootstrap(model, { nsim: 50, seed: 1, signal: controller.signal, onProgress: (p) => p.iteration === 3 && controller.abort() }),
    ).toThrow(FitAbortedError);
    let calls = 0;
    const flaky: BootstrapModel = {
      ...model,
      refit(y) {
        if (calls++ % 5 === 0) throw new Error('did not converge');
        return model.refit(y);
      },
    };
    const r = parametricBootstrap(flaky, { nsim: 20, seed: 1 });
    expect(r.failures).toBe(4);
    expect(r.replicates.length).toBe(16);
    expect(r.notes[0]).toMatch(/4 of 20 refits failed .*did not converge/);
  });
});
