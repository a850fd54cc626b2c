import type { GlmmResults, RandomEffectRow, VarianceComponentRow } from '@glmm/core';
import type { Reference } from '@glmm/datasets';
import { TOLERANCES as T } from './tolerances.js';

const fmt = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(8)).toString() : String(x));

/** Records a failure when |actual - expected| exceeds tol. */
function within(failures: string[], what: string, actual: number, expected: number, tol: number): void {
  const diff = Math.abs(actual - expected);
  if (!(diff <= tol)) {
    failures.push(`${what}: ${fmt(actual)} vs lme4 ${fmt(expected)} (|diff| ${fmt(diff)} > tolerance ${fmt(tol)})`);
  }
}

/**
 * A criterion judged one-sidedly: `worse` is the direction of a worse
 * optimum (tight), the other direction (a better optimum) is allowed more.
 */
function optimum(failures: string[], what: string, actual: number, expected: number, worseSign: 1 | -1): void {
  const mag = Math.abs(expected);
  const worseTol = T.logLikBelow.absolute + T.logLikBelow.relative * mag;
  const betterTol = T.logLikAbove.absolute + T.logLikAbove.relative * mag;
  const diff = (actual - expected) * worseSign; // > 0: worse than lme4
  if (!Number.isFinite(actual)) {
    failures.push(`${what}: ${fmt(actual)} vs lme4 ${fmt(expected)} (not finite)`);
  } else if (diff > worseTol) {
    failures.push(`${what}: ${fmt(actual)} vs lme4 ${fmt(expected)} (worse by ${fmt(diff)} > tolerance ${fmt(worseTol)})`);
  } else if (-diff > betterTol) {
    failures.push(`${what}: ${fmt(actual)} vs lme4 ${fmt(expected)} (better by ${fmt(-diff)} > tolerance ${fmt(betterTol)})`);
  }
}

const isResidual = (group: string): boolean => group === 'Residual';

function compareFixedEffects(results: GlmmResults, ref: Reference, failures: string[]): void {
  const seTol = ref.family.toLowerCase() === 'gaussian' ? T.fixedSeLmm : T.fixedSeGlmm;
  const byName = new Map(results.fixedEffects.map((row) => [row.name, row]));
  for (const f of ref.fixef) {
    const row = byName.get(f.name);
    if (!row) {
      failures.push(`fixed effect "${f.name}" missing (have: ${[...byName.keys()].join(', ')})`);
      continue;
    }
    within(failures, `fixed effect "${f.name}" estimate`, row.estimate, f.estimate, T.fixedEstimateInSe * f.se);
    within(failures, `fixed effect "${f.name}" SE`, row.stdError, f.se, seTol * f.se);
  }
  const expected = new Set(ref.fixef.map((f) => f.name));
  for (const name of byName.keys()) {
    if (!expected.has(name)) failures.push(`fixed effect "${name}" is not in lme4's fit`);
  }
}

function compareVarianceComponents(results: GlmmResults, ref: Reference, failures: string[]): void {
  const refSd = ref.varcorr.filter((r) => r.var2 === null);
  const refCorr = ref.varcorr.filter((r) => r.var2 !== null);
  const rows = results.varianceComponents;
  const sdRows = rows.filter((r) => r.term2 === undefined);
  const corrRows = rows.filter((r) => r.term2 !== undefined);

  const largest = Math.max(0, ...refSd.map((r) => Math.abs(r.sdcor)));
  const sdTol = (ref: number): number => Math.max(T.sdRelative * Math.abs(ref) + T.sdOfLargest * largest, T.zeroFloor);

  // Random-effect SDs are matched after sorting: lme4 names the second term
  // of an uncorrelated block "Subject.1", which a fit need not copy.
  const refRandom = refSd.filter((r) => !isResidual(r.group)).map((r) => r.sdcor).sort((a, b) => a - b);
  const fitRandom = sdRows.filter((r) => !isResidual(r.group)).map((r) => r.stdDev).sort((a, b) => a - b);
  if (refRandom.length !== fitRandom.length) {
    failures.push(`random-effect SDs: ${fitRandom.length} in the fit, ${refRandom.length} in lme4's`);
  } else {
    for (let i = 0; i < refRandom.length; i++) {
      within(failures, `random-effect SD (sorted, #${i + 1})`, fitRandom[i]!, refRandom[i]!, sdTol(refRandom[i]!));
    }
  }

  const refResidual = refSd.find((r) => isResidual(r.group));
  if (refResidual) {
    // Without a Residual row (a GLMM report may leave it out) sigma carries it.
    const row = sdRows.find((r) => isResidual(r.group));
    const fitted = row ? row.stdDev : results.sigma;
    within(failures, 'residual SD', fitted, refResidual.sdcor, sdTol(refResidual.sdcor));
  }

  const key = (group: string, a: string, b: string): string => `${group}\u0000${[a, b].sort().join('\u0000')}`;
  const fitCorr = new Map<string, VarianceComponentRow>();
  for (const row of corrRows) fitCorr.set(key(row.group, row.term ?? '', row.term2!), row);
  const seen = new Set<string>();
  for (const r of refCorr) {
    const k = key(r.group, r.var1 ?? '', r.var2!);
    seen.add(k);
    const row = fitCorr.get(k);
    const label = `correlation ${r.group} (${r.var1}, ${r.var2})`;
    if (!row || row.correlation === undefined) {
      failures.push(`${label} missing`);
      continue;
    }
    within(failures, label, row.correlation, r.sdcor, T.correlation);
  }
  for (const [k, row] of fitCorr) {
    if (!seen.has(k)) failures.push(`correlation ${row.group} (${row.term}, ${row.term2}) is not in lme4's fit`);
  }
}

function compareFitStatistics(results: GlmmResults, ref: Reference, failures: string[]): void {
  optimum(failures, 'logLik', results.fit.logLik, ref.logLik, -1);
  optimum(failures, 'AIC', results.fit.aic, ref.AIC, 1);
  optimum(failures, 'BIC', results.fit.bic, ref.BIC, 1);
  const cd = ref.conditional_deviance;
  within(
    failures,
    'conditional deviance',
    results.fit.conditionalDeviance,
    cd,
    T.conditionalDeviance.absolute + T.conditionalDeviance.relative * Math.abs(cd),
  );
  if (results.nobs !== ref.nobs) failures.push(`nobs: ${results.nobs} vs lme4 ${ref.nobs}`);
  if (results.singular !== ref.singular) failures.push(`singular: ${results.singular} vs lme4 ${ref.singular}`);
}

function compareRandomEffects(results: GlmmResults, ref: Reference, failures: string[]): void {
  const blockKey = (group: string, term: string): string => `${group}\u0000${term}`;
  const fitBlocks = new Map<string, Map<string, RandomEffectRow>>();
  for (const row of results.randomEffects) {
    const k = blockKey(row.group, row.term);
    let block = fitBlocks.get(k);
    if (!block) fitBlocks.set(k, (block = new Map()));
    block.set(row.level, row);
  }
  const refKeys = new Set<string>();
  for (const r of ref.ranef) {
    const k = blockKey(r.group, r.term);
    refKeys.add(k);
    const block = fitBlocks.get(k);
    const label = `BLUP ${r.group} ${r.term}`;
    if (!block) {
      failures.push(`${label}: term missing (have: ${[...fitBlocks.keys()].map((x) => x.replace('\u0000', ' ')).join(', ')})`);
      continue;
    }
    const largestValue = Math.max(0, ...r.condval.map(Math.abs));
    const largestSd = Math.max(0, ...r.condsd.map(Math.abs));
    const missing: string[] = [];
    for (let i = 0; i < r.levels.length; i++) {
      const level = r.levels[i]!;
      const row = block.get(level);
      if (!row) {
        missing.push(level);
        continue;
      }
      const condSd = r.condsd[i]!;
      const valueTol = Math.max(T.blupInCondSd * (condSd + T.blupOfLargest * largestValue), T.zeroFloor);
      within(failures, `${label} level "${level}"`, row.value, r.condval[i]!, valueTol);
      const sdTol = Math.max(T.condSdRelative * condSd + T.condSdOfLargest * largestSd, T.zeroFloor);
      within(failures, `${label} level "${level}" condSd`, row.condSd, condSd, sdTol);
    }
    if (missing.length) failures.push(`${label}: levels missing: ${missing.join(', ')}`);
    const known = new Set(r.levels);
    const extra = [...block.keys()].filter((level) => !known.has(level));
    if (extra.length) failures.push(`${label}: levels not in lme4's fit: ${extra.join(', ')}`);
  }
  for (const k of fitBlocks.keys()) {
    if (!refKeys.has(k)) failures.push(`BLUP ${k.replace('\u0000', ' ')}: term is not in lme4's fit`);
  }
}

/**
 * Judges a fit against lme4's reference with the tolerances of
 * packages/datasets/fixtures/README.md.  Returns one human-readable line per
 * failure; an empty list is a pass.
 */
export function compareToReference(results: GlmmResults, reference: Reference): string[] {
  const failures: string[] = [];
  compareFixedEffects(results, reference, failures);
  compareVarianceComponents(results, reference, failures);
  compareFitStatistics(results, reference, failures);
  compareRandomEffects(results, reference, failures);
  return failures;
}
