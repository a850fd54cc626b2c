import { readFileSync } from 'node:fs';
import {
  createContainer,
  FitAbortedError,
  listPlugins,
  resolveLinkForFamily,
  resolvePlugin,
  DEFAULT_FIT_OPTIONS,
  type Estimator,
  type FitOptions,
  type FitProblem,
  type FitProgress,
  type GlmmResults,
  type PluginBundle,
} from '@glmm/core';
import { extraFixtureNames, fixtureNames, loadExtraFixture, loadFixture, type Fixture } from '@glmm/datasets';
import { buildModel, parseCsv } from '@glmm/formula';
import { buildResults } from '@glmm/report';
import { describe, expect, it } from 'vitest';
import { compareToReference } from './compare-to-reference.js';

export interface EstimatorCase {
  /** Folder name under packages/datasets/fixtures, e.g. "sleepstudy_slopes_reml". */
  readonly fixture: string;
  /** Fits the fixture's model; receives the fixture (data path and reference). */
  readonly fit: (fixture: Fixture) => GlmmResults | Promise<GlmmResults>;
}

/** Registers one test per fixture: the fit must reproduce lme4 within the README's tolerances. */
export function runEstimatorConformance(name: string, cases: readonly EstimatorCase[]): void {
  describe(`estimator conformance: ${name}`, () => {
    for (const c of cases) {
      it(`reproduces lme4 on ${c.fixture}`, async () => {
        const fixture = loadFixture(c.fixture);
        const results = await c.fit(fixture);
        const failures = compareToReference(results, fixture.reference);
        expect(failures, `${c.fixture}:\n  ${failures.join('\n  ')}`).toEqual([]);
      });
    }
  });
}

export interface EstimatorPluginOptions {
  /** Bundles with the families, links, covariance structures and optimisers the fixtures need. */
  readonly bundles: readonly PluginBundle[];
  /**
   * Which lme4 methods ("REML", "ML", "Laplace", "AGQ") of the reference
   * fixtures this estimator answers for; default: the method named like the
   * estimator (case-insensitive).
   */
  readonly methods?: readonly string[];
  /** The contract checks (deviance object, warm start, progress, abort) run on this many fixtures. Default 2. */
  readonly contractChecks?: number;
}

/**
 * The conformance suite of an estimator plugin, in one call: every shipped
 * and extra lme4 fixture of its method is fitted through the plugin alone
 * (model frame, estimator.fit, results) and must reproduce lme4 within the
 * fixture tolerances; on a few of them the staged contract is checked too:
 * `supports` accepts them, the deviance object (when offered) gives back the
 * fit's deviance at its estimates, a warm start at the optimum stays there,
 * progress reaches 'finalise', and an aborted fit throws FitAbortedError.
 */
export function runEstimatorPluginConformance(estimator: Estimator, options: EstimatorPluginOptions): void {
  const methods = (options.methods ?? [estimator.name]).map((m) => m.toLowerCase());
  const fixtures = [...fixtureNames().map(loadFixture), ...extraFixtureNames().map(loadExtraFixture)].filter((f) =>
    methods.includes(f.reference.method.toLowerCase()),
  );
  const checks = options.contractChecks ?? 2;
  describe(`estimator plugin conformance: ${estimator.name}`, () => {
    it('has fixtures of its method to be judged on', () => {
      expect(fixtures.length).toBeGreaterThan(0);
    });
    fixtures.forEach((fixture, i) => {
      it(`reproduces lme4 on ${fixture.name}`, () => {
        const problem = fixtureProblem(fixture, options.bundles, estimator);
        expect(estimator.supports(problem.family, problem.model, problem.options, problem.link)).toBeNull();
        const results = resultsOf(estimator, problem, fixture);
        const failures = compareToReference(results, fixture.reference);
        expect(failures, `${fixture.name}:\n  ${failures.join('\n  ')}`).toEqual([]);
        if (i < checks) checkContract(estimator, problem, fixture, results);
      });
    });
  });
}

/** The FitProblem of a fixture's model, with plugins resolved from a container of the given bundles. */
export function fixtureProblem(fixture: Fixture, bundles: readonly PluginBundle[], estimator: Estimator, options: Partial<FitOptions> = {}): FitProblem {
  const ref = fixture.reference;
  const container = createContainer(...bundles);
  const family = resolvePlugin(container, 'family', ref.family);
  const link = resolveLinkForFamily(container, family, ref.link);
  const categorical = Object.entries(ref.column_types)
    .filter(([, t]) => t === 'categorical')
    .map(([c]) => c);
  const model = buildModel(ref.formula, parseCsv(readFileSync(fixture.csvPath, 'utf8')), { categorical });
  const covariances = model.terms.map((t) => resolvePlugin(container, 'covariance', t.covariance));
  const optimizers = listPlugins(container, 'optimizer').map((name) => resolvePlugin(container, 'optimizer', name));
  const nAGQ = ref.method === 'AGQ' ? (ref.nAGQ ?? 1) : 1;
  return { model, family, link, covariances, optimizers, options: { ...DEFAULT_FIT_OPTIONS, nAGQ, ...options } };
}

function resultsOf(estimator: Estimator, problem: FitProblem, fixture: Fixture): GlmmResults {
  const raw = estimator.fit(problem);
  return buildResults(raw, problem.model, { formula: fixture.reference.formula, family: problem.family, link: problem.link.name, fitSeconds: 0 });
}

/** The staged contract on one fixture (see runEstimatorPluginConformance). */
function checkContract(estimator: Estimator, problem: FitProblem, fixture: Fixture, results: GlmmResults): void {
  const beta = results.fixedEffects.map((e) => e.estimate);
  const optimum = results.fit.remlCriterion ?? -2 * results.fit.logLik;
  if (estimator.deviance) {
    const deviance = estimator.deviance(problem);
    const { nTheta, nBeta, nFamily, names, lower, upper } = deviance.layout;
    const d = nTheta + nBeta + nFamily;
    expect(names.length, 'layout names').toBe(d);
    expect([lower.length, upper.length], 'layout bounds').toEqual([d, d]);
    expect(nTheta, 'nTheta').toBe(results.theta.length);
    const x = new Float64Array(d);
    x.set(results.theta);
    if (nBeta > 0) x.set(beta, nTheta);
    if (nFamily > 0 && results.familyParameter) x[nTheta + nBeta] = Math.log(results.familyParameter.estimate);
    expect(deviance.value(x), 'deviance at the estimates').toBeCloseTo(optimum, 4);
    const state = deviance.evaluate(x);
    expect(state, 'evaluate at the estimates').not.toBeNull();
    state!.beta.forEach((b, a) => expect(b, `beta[${a}] at the estimates`).toBeCloseTo(beta[a]!, 4));
    expect(state!.unscaledVcovBeta.length).toBe(beta.length * beta.length);
  }
  const warm = estimator.fit({
    ...problem,
    options: { ...problem.options, start: { theta: results.theta, beta, ...(results.familyParameter ? { parameter: results.familyParameter.estimate } : {}) } },
  });
  expect(warm.logLik, 'warm start at the optimum').toBeCloseTo(results.fit.logLik, 5);
  const events: FitProgress[] = [];
  estimator.fit({ ...problem, onProgress: (p) => events.push(p) });
  expect(events.map((e) => e.stage)).toContain('start');
  expect(events[events.length - 1]?.stage).toBe('finalise');
  const controller = new AbortController();
  controller.abort(new Error('conformance'));
  expect(() => estimator.fit({ ...problem, signal: controller.signal }), fixture.name).toThrow(FitAbortedError);
}
