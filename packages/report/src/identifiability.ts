import type { Family, FitWarning, ModelMatrices, RawFit, RandomTerm } from '@glmm/core';

/** Fewer levels than this and a variance estimate rests on too few groups (common advice: at least 5-6). */
const FEW_GROUPS = 5;
/** Laplace is known to be biased for binary-like data with clusters this small (Breslow & Lin 1995; Joe 2008). */
const SMALL_CLUSTER = 3;
/** A variance this small relative to the data's scale is zero for every purpose but printing. */
const RELATIVE_FLOOR = 1e-10;

/**
 * Warnings for models the data cannot identify, or identify only weakly: the
 * fit went through, but some of its numbers do not mean what they seem to.
 * Everything is read off the model frame and the fit, so it costs one pass
 * over each term's level index.
 */
export function identifiabilityWarnings(fit: RawFit, model: ModelMatrices, family: Family): FitWarning[] {
  const warnings: FitWarning[] = [];
  const sizesByGroup = new Map<string, Int32Array>();
  for (const term of model.terms) if (!sizesByGroup.has(term.group)) sizesByGroup.set(term.group, levelSizes(term));

  for (const [group, sizes] of sizesByGroup) {
    const observed = sizes.filter((s) => s > 0);
    if (observed.length > 0 && observed.length < FEW_GROUPS) {
      warnings.push({
        code: 'few-groups',
        message: `grouping factor "${group}" has ${observed.length} level${observed.length === 1 ? '' : 's'}; its variance is estimated from ${observed.length} values`,
        advice: `With fewer than ${FEW_GROUPS} levels a variance is poorly determined: consider "${group}" as a fixed effect, or report the variance with a wide interval.`,
      });
    }
  }

  for (const term of model.terms) {
    const sizes = sizesByGroup.get(term.group)!;
    let maxSize = 0;
    let observed = 0;
    for (const s of sizes) {
      if (s > maxSize) maxSize = s;
      if (s > 0) observed++;
    }
    const k = term.columns.length;
    const label = `(${term.columnNames.join(' + ')} | ${term.group})`;
    if (maxSize <= 1 && (family.hasDispersion || k > 1)) {
      warnings.push({
        code: 'groups-of-size-one',
        message: `every level of "${term.group}" has one row, so the term ${label} cannot be told apart from the ${family.hasDispersion ? 'residual' : 'other terms'}`,
        advice: `Drop ${label} or group the rows at a coarser level; its variance and the ${family.hasDispersion ? 'residual variance' : 'fixed effects'} are not separately identified.`,
      });
    } else if (observed * k >= model.n && family.hasDispersion) {
      warnings.push({
        code: 'more-random-effects-than-observations',
        message: `the term ${label} has ${observed * k} random effects for ${model.n} observations`,
        advice: 'The random-effects variances and the residual variance are probably not identifiable (lme4 stops here): simplify the term or collect more rows per level.',
      });
    }
  }

  const scale = family.hasDispersion ? responseVariance(model) : 1;
  if (family.hasDispersion && scale > 0 && fit.dispersion <= RELATIVE_FLOOR * scale) {
    warnings.push({
      code: 'perfect-fit',
      message: `the residual variance (${fit.dispersion.toExponential(2)}) is essentially zero: the model reproduces the response (almost) exactly`,
      advice: 'Check that the response is not also a predictor or a deterministic function of the predictors and groups; standard errors and tests are not meaningful here.',
    });
  }
  for (const tc of fit.termCovariances) {
    const k = tc.columnNames.length;
    for (let c = 0; c < k; c++) {
      const v = tc.covariance[c * k + c]!;
      if (v > 0 && v <= RELATIVE_FLOOR * scale) {
        warnings.push({
          code: 'variance-at-floor',
          message: `the variance of ${tc.columnNames[c]} for "${tc.group}" (${v.toExponential(2)}) is at the numerical floor, zero in effect`,
          advice: 'Treat it as zero: the data show no variation between levels for this term; consider removing it.',
        });
      }
    }
  }

  if (fit.nAGQ === 1 && fit.method === 'Laplace' && model.terms.length > 0) {
    const sizes = sizesByGroup.get(model.terms[0]!.group)!;
    const small = smallShare(sizes);
    if (small >= 0.5) {
      const agq = model.terms.length === 1 && model.terms[0]!.columns.length === 1;
      warnings.push({
        code: 'small-clusters',
        message: `${Math.round(small * 100)}% of the levels of "${model.terms[0]!.group}" have ${SMALL_CLUSTER} rows or fewer; the Laplace approximation can bias the variance (and fixed effects) with clusters this small`,
        advice: agq
          ? 'Refit with adaptive Gauss-Hermite quadrature (--method agq --nagq 25) and compare.'
          : 'Adaptive quadrature needs a single scalar random effect, which this model does not have; compare with a simpler model fitted by --method agq, or interpret the variances with caution.',
      });
    }
  }
  return warnings;
}

function levelSizes(term: RandomTerm): Int32Array {
  const sizes = new Int32Array(term.levels.length);
  const index = term.index;
  for (let i = 0; i < index.length; i++) sizes[index[i]!]!++;
  return sizes;
}

/** Share of the observed levels with at most SMALL_CLUSTER rows. */
function smallShare(sizes: Int32Array): number {
  let observed = 0;
  let small = 0;
  for (const s of sizes) {
    if (s === 0) continue;
    observed++;
    if (s <= SMALL_CLUSTER) small++;
  }
  return observed ? small / observed : 0;
}

/** Weighted-free variance of the response: the scale a residual variance is judged against. */
function responseVariance(model: ModelMatrices): number {
  const y = model.y;
  const n = y.length;
  if (n < 2) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i]! - mean) ** 2;
  return ss / (n - 1);
}
