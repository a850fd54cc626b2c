import { readdirSync, readFileSync } from 'node:fs';
import { defineBundle, definePlugin, type GlmmResults } from '@glmm/core';
import { createDefaultContainer, fitGlmm, readCsvFile } from '@glmm/glmm';
import { expect } from 'vitest';
import { createPseudoLikelihoodEstimator } from '../src/index.js';

/**
 * One reference of packages/datasets/r/make-pql-reference.R: glmmPQL's fit
 * (method PQL) or the R pseudo-likelihood iteration's (MPL, REMPL), with the
 * dispersion fixed at 1 or estimated.
 */
export interface PlReference {
  readonly formula: string;
  readonly family: string;
  readonly link: string;
  readonly method: 'PQL' | 'MPL' | 'REMPL';
  readonly dispersion: 'fixed' | 'estimated';
  readonly categorical: readonly string[];
  readonly fixef: readonly { name: string; estimate: number; se: number }[];
  readonly theta: readonly number[];
  readonly varcorr: readonly { group: string; var1: string; var2: string | null; sdcor: number }[];
  readonly sigma: number;
  readonly logLik: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly ranef: readonly { group: string; term: string; levels: string[]; condval: number[]; condsd: number[] }[];
}

export interface PlCase {
  readonly name: string;
  readonly csvPath: string;
  readonly reference: PlReference;
}

const root = new URL('./reference/', import.meta.url).pathname;

/** Every reference: reference/<data set>/<method>_<dispersion>.json beside its data.csv; named "<data set>/<file>". */
export function plCases(): PlCase[] {
  const cases: PlCase[] = [];
  for (const dataset of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort())
    for (const file of readdirSync(`${root}${dataset}`).filter((f) => f.endsWith('.json')).sort())
      cases.push({
        name: `${dataset}/${file.replace(/\.json$/, '')}`,
        csvPath: `${root}${dataset}/data.csv`,
        reference: JSON.parse(readFileSync(`${root}${dataset}/${file}`, 'utf8')) as PlReference,
      });
  return cases;
}

/**
 * fitglme's DispersionFlag = true, registered as a host app would: the
 * shipped plugins keep fitglme's default (dispersion 1 for binomial, Poisson).
 */
const dispersionBundle = defineBundle('test:dispersion-flag', [
  definePlugin('estimator', 'mpl-dispersion', createPseudoLikelihoodEstimator('MPL', { dispersionFlag: true })),
  definePlugin('estimator', 'rempl-dispersion', createPseudoLikelihoodEstimator('REMPL', { dispersionFlag: true })),
]);
const container = createDefaultContainer(dispersionBundle);

/** Fits a reference's model through the public API, as a user states it. */
export function fitPlCase(c: PlCase): GlmmResults {
  const ref = c.reference;
  const method = ref.method.toLowerCase() + (ref.method !== 'PQL' && ref.dispersion === 'estimated' ? '-dispersion' : '');
  return fitGlmm({
    formula: ref.formula,
    data: readCsvFile(c.csvPath),
    family: ref.family,
    link: ref.link,
    method,
    categorical: ref.categorical,
    container,
  });
}

/** |actual - expected| <= tol max(1, |expected|). */
export function expectClose(what: string, actual: number | undefined, expected: number, tol: number): void {
  expect(actual, what).toBeDefined();
  const diff = Math.abs(actual! - expected);
  expect(diff, `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected)));
}

/**
 * Every number of the reference against the fit, to `tol` (relative above
 * 1); the pseudo log-likelihood to `logLikTol`; BLUPs to 10 tol in units of
 * their conditional SD: where the optimum is flat (sleepstudy's slope
 * correlation) two searches that agree on logLik to 1e-11 still move a BLUP
 * by 1e-6 SDs, lmer's two optimisers by 1e-5.
 */
export function compareToPlReference(results: GlmmResults, ref: PlReference, tol: number, logLikTol: number): void {
  expect(results.method).toBe(ref.method);
  for (const f of ref.fixef) {
    const row = results.fixedEffects.find((r) => r.name === f.name);
    expect(row, `fixed effect ${f.name}`).toBeDefined();
    expectClose(`estimate ${f.name}`, row!.estimate, f.estimate, tol);
    expectClose(`SE ${f.name}`, row!.stdError, f.se, tol);
  }
  expect(results.fixedEffects.length).toBe(ref.fixef.length);
  for (const v of ref.varcorr) {
    const row = results.varianceComponents.find((r) =>
      v.var2 === null ? r.group === v.group && r.term === v.var1 && r.term2 === undefined : r.group === v.group && r.term === v.var1 && r.term2 === v.var2,
    );
    expect(row, `variance component ${v.group} ${v.var1} ${v.var2 ?? ''}`).toBeDefined();
    expectClose(`SD/correlation ${v.group} ${v.var1} ${v.var2 ?? ''}`, v.var2 === null ? row!.stdDev : row!.correlation, v.sdcor, tol);
  }
  expectClose('sigma', results.sigma, ref.sigma, tol);
  expect(Math.abs(results.fit.logLik - ref.logLik), `logLik ${results.fit.logLik} vs ${ref.logLik}`).toBeLessThanOrEqual(logLikTol);
  for (const block of ref.ranef) {
    const rows = new Map(results.randomEffects.filter((r) => r.group === block.group && r.term === block.term).map((r) => [r.level, r]));
    expect(rows.size, `BLUPs of ${block.group} ${block.term}`).toBe(block.levels.length);
    block.levels.forEach((level, i) => {
      const value = rows.get(level)?.value;
      expect(value, `BLUP ${block.group} ${block.term} ${level}`).toBeDefined();
      expect(Math.abs(value! - block.condval[i]!), `BLUP ${block.group} ${block.term} ${level}: ${value} vs ${block.condval[i]}`).toBeLessThanOrEqual(
        10 * tol * Math.max(1, Math.abs(block.condval[i]!), block.condsd[i]!),
      );
      expectClose(`condSd ${block.group} ${block.term} ${level}`, rows.get(level)?.condSd, block.condsd[i]!, tol);
    });
  }
}
