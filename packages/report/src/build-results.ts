import type {
  Family,
  FitStatistics,
  FitWarning,
  FixedEffectRow,
  GlmmResults,
  ModelMatrices,
  RawFit,
} from '@glmm/core';
import { qnorm, twoSidedPValue } from '@glmm/distributions';
import { buildDiagnostics, randomEffectRows, type DiagnosticsModel } from './diagnostics.js';
import { iccRows } from './icc.js';
import { withJsonContract } from './json-reporter.js';
import { identifiabilityWarnings } from './identifiability.js';
import { assertJsonSafe, firstNonFinite } from './json-safety.js';
import { observedLevelsByGroup } from './observed-levels.js';
import { rememberReportRows } from './report-rows.js';
import { varianceComponentRows } from './variance-components.js';

export interface ResultsMeta {
  formula: string;
  family: Family;
  link: string;
  fitSeconds: number;
  loadSeconds?: number;
  /** Level of the Wald confidence intervals; default 0.95. */
  confidenceLevel?: number;
}

/**
 * Turns an estimator's RawFit into the results contract. Everything
 * family-specific comes through the Family interface (dispersion, latent
 * residual variance), never from the family's name. Throws when a number
 * would not survive JSON (NaN, Infinity), naming where it is.
 */
export function buildResults(fit: RawFit, model: ModelMatrices, meta: ResultsMeta): GlmmResults {
  const level = meta.confidenceLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new RangeError(`confidenceLevel must be in (0, 1), got ${level}`);
  const p = model.p;
  if (fit.beta.length !== p || fit.vcovBeta.length !== p * p) {
    throw new Error(`RawFit has ${fit.beta.length} coefficients and a ${fit.vcovBeta.length}-element vcov for p = ${p}`);
  }

  const q = qnorm(1 - (1 - level) / 2);
  const fixedEffects: FixedEffectRow[] = [];
  const vcovFixed: number[][] = [];
  for (let i = 0; i < p; i++) {
    const estimate = fit.beta[i]!;
    const stdError = Math.sqrt(fit.vcovBeta[i * p + i]!);
    const statistic = estimate / stdError;
    fixedEffects.push({
      name: model.fixedNames[i]!,
      estimate,
      stdError,
      statistic,
      pValue: twoSidedPValue(statistic),
      ciLower: estimate - q * stdError,
      ciUpper: estimate + q * stdError,
    });
    // vcovBeta is column-major; the contract is row-major.
    const row = new Array<number>(p);
    for (let j = 0; j < p; j++) row[j] = fit.vcovBeta[j * p + i]!;
    vcovFixed.push(row);
  }

  const levels = observedLevelsByGroup(model);
  const ngroups: Record<string, number> = Object.fromEntries(levels);

  const nobs = model.n;
  const fitStats: FitStatistics = {
    logLik: fit.logLik,
    df: fit.df,
    aic: -2 * fit.logLik + 2 * fit.df,
    bic: -2 * fit.logLik + Math.log(nobs) * fit.df,
    deviance: -2 * fit.logLik,
    conditionalDeviance: fit.conditionalDeviance,
    remlCriterion: fit.remlCriterion,
  };

  const warnings: FitWarning[] = [...fit.warnings, ...identifiabilityWarnings(fit, model, meta.family)];
  // Rows the caller excluded on purpose are reported in `excluded`, not warned about.
  const unrequested = model.excluded.rows.some((r) => r.reason !== 'excluded by request');
  if (unrequested && !warnings.some((w) => w.code === 'rows-excluded')) {
    warnings.push(rowsExcludedWarning(model));
  }

  const results: Omit<GlmmResults, 'diagnostics'> = {
    schemaVersion: 2,
    formula: meta.formula,
    family: meta.family.name,
    link: meta.link,
    method: fit.method,
    nAGQ: fit.nAGQ,
    nobs,
    ngroups,
    excluded: model.excluded,
    fixedEffects,
    vcovFixed,
    varianceComponents: varianceComponentRows(fit, meta.family.hasDispersion),
    theta: Array.from(fit.theta),
    sigma: fit.sigma,
    dispersion: fit.dispersion,
    icc: iccRows(fit, model, familyAtEstimate(meta.family, fit), meta.link, levels).rows,
    fit: fitStats,
    randomEffects: randomEffectRows(fit),
    diagnosticsOutput: { rows: nobs, inline: false, file: null, format: null },
    singular: fit.singular,
    convergence: { ...fit.convergence },
    warnings,
    familyParameter: fit.familyParameter ? { ...fit.familyParameter } : null,
    timing: meta.loadSeconds === undefined ? { fitSeconds: meta.fitSeconds } : { fitSeconds: meta.fitSeconds, loadSeconds: meta.loadSeconds },
  };
  assertFiniteColumns(fit);
  assertJsonSafe(results);
  const built = withLazyDiagnostics(results, fit, model);
  rememberReportRows(built, {
    fitted: fit.fitted,
    responseResiduals: fit.residResponse,
    pearsonResiduals: fit.residPearson,
    devianceResiduals: fit.residDeviance,
    terms: model.terms,
  });
  return built;
}

/**
 * The family as fitted: with an estimated parameter (the negative binomial's
 * shape), `parameter.at(estimate)`, whose latent residual variance uses it;
 * the plugin itself is the family before estimation (NB's Poisson limit).
 */
function familyAtEstimate(family: Family, fit: RawFit): Family {
  return fit.familyParameter && family.parameter ? family.parameter.at(fit.familyParameter.estimate) : family;
}

/**
 * The per-row diagnostics are millions of numbers for large data: they are
 * built on first access (a reporter, a diagnostics file), not for every fit.
 * The property is enumerable, so copies and structured clones keep it; the
 * JSON leaves it out unless diagnosticsOutput.inline says otherwise (toJSON,
 * not enumerable, makes JSON.stringify(results) give the JSON contract).
 */
function withLazyDiagnostics(results: Omit<GlmmResults, 'diagnostics'>, fit: RawFit, model: ModelMatrices): GlmmResults {
  // Only what the diagnostics read is kept: the results must not hold on to X (see DiagnosticsModel).
  const rows: DiagnosticsModel = { n: model.n, terms: model.terms, usedRows: model.usedRows };
  let value: GlmmResults['diagnostics'] | undefined;
  Object.defineProperty(results, 'diagnostics', {
    enumerable: true,
    configurable: true,
    get: () => (value ??= buildDiagnostics(fit, rows)),
    set: (v: GlmmResults['diagnostics']) => {
      value = v;
    },
  });
  return withJsonContract(results as GlmmResults);
}

/** The typed columns the diagnostics are built from must be finite (JSON cannot hold NaN or infinities). */
function assertFiniteColumns(fit: RawFit): void {
  const columns: [string, Float64Array][] = [
    ['fitted', fit.fitted],
    ['linearPredictor', fit.eta],
    ['responseResiduals', fit.residResponse],
    ['devianceResiduals', fit.residDeviance],
    ['pearsonResiduals', fit.residPearson],
  ];
  fit.modes.forEach((m) => columns.push([`randomEffects(${m.group})`, m.values]));
  // Estimators may hand the same array for several columns (fitted = eta for an
  // identity link); it has already passed when it comes round again.
  const checked = new Set<Float64Array>();
  for (const [name, col] of columns) {
    if (checked.has(col)) continue;
    const i = firstNonFinite(col);
    if (i >= 0) throw new Error(`results.diagnostics.${name}[${i}] is ${col[i]}, which JSON cannot represent`);
    checked.add(col);
  }
}

function rowsExcludedWarning(model: ModelMatrices): FitWarning {
  const { count, byReason, rows: all } = model.excluded;
  const total = count + model.n;
  const rows = all.filter((r) => r.reason !== 'excluded by request');
  const reasons = Object.entries(byReason)
    .filter(([reason, k]) => k > 0 && reason !== 'excluded by request')
    .map(([reason, k]) => `${reason}: ${k}`)
    .join(', ');
  const columns = [...new Set(rows.map((r) => r.column))];
  const shown = columns.slice(0, 5).join(', ') + (columns.length > 5 ? ', ...' : '');
  return {
    code: 'rows-excluded',
    message: `${rows.length} of ${total} rows were excluded (${reasons || 'see excluded.rows'})${shown ? `; columns: ${shown}` : ''}`,
    advice:
      'Check the listed rows: fix or impute the values if they are data-entry errors, ' +
      'and consider whether the missingness could bias the estimates.',
  };
}
