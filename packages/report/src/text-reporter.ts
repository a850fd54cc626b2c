import type { GlmmResults, Reporter } from '@glmm/core';
import { alignTable, formatColumn, formatNumber, formatPValue } from './format.js';
import {
  confidenceLevel,
  convergenceText,
  exclusionsText,
  groupsLine,
  methodTitle,
  percent,
  varCorrLines,
} from './summary-model.js';

/** A plain-text summary laid out like lme4's `summary()`, plus ICC, exclusions and advice as MIDAS shows them. */
/** BLUP lines in the text summary before it points to the JSON output. */
const MAX_BLUP_LINES = 30;

export function renderText(r: GlmmResults): string {
  const out: string[] = [];
  out.push(methodTitle(r));
  out.push(` Family: ${r.family}  ( ${r.link} )`);
  out.push(`Formula: ${r.formula}`);
  out.push(`Rows excluded: ${exclusionsText(r)}`);
  out.push('');

  const f = r.fit;
  const stats = [f.aic, f.bic, f.logLik, f.deviance];
  out.push(
    ...alignTable(
      ['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'],
      [[...stats.map((v) => formatNumber(v, 6)), String(r.nobs - f.df)]],
      ['right', 'right', 'right', 'right', 'right'],
    ).map((s) => ` ${s}`),
  );
  if (f.remlCriterion !== null) out.push(`REML criterion at convergence: ${formatNumber(f.remlCriterion, 6)}`);
  out.push('');

  out.push('Random effects:');
  const lines = varCorrLines(r.varianceComponents);
  const variances = formatColumn(lines.map((l) => l.variance));
  const sds = formatColumn(lines.map((l) => l.stdDev));
  const hasCorr = lines.some((l) => l.correlations.length > 0);
  const header = ['Groups', 'Name', 'Variance', 'Std.Dev.', ...(hasCorr ? ['Corr'] : [])];
  const rows = lines.map((l, i) => [
    l.group,
    l.name,
    variances[i]!,
    sds[i]!,
    ...(hasCorr ? [l.correlations.map((c) => formatCorrelation(c)).join(' ')] : []),
  ]);
  out.push(...alignTable(header, rows, ['left', 'left', 'right', 'right', 'left']).map((s) => ` ${s}`));
  out.push(`Number of obs: ${r.nobs}, groups:  ${groupsLine(r)}`);
  out.push('');

  if (r.icc.length > 0) {
    out.push('Intraclass correlation (at covariates = 0):');
    const iccRows = r.icc.map((row) => [
      row.group,
      formatNumber(row.value, 4),
      formatNumber(row.designEffect, 4),
      formatNumber(row.meanGroupSize, 4),
    ]);
    out.push(
      ...alignTable(['Group', 'ICC', 'Design effect', 'Mean group size'], iccRows, ['left', 'right', 'right', 'right']).map(
        (s) => ` ${s}`,
      ),
    );
    const first = r.icc[0]!;
    out.push(` Residual variance (latent scale): ${formatNumber(first.residualVariance, 5)} = ${first.formula}`);
  } else if (r.varianceComponents.some((v) => v.group !== 'Residual')) {
    out.push(`Intraclass correlation: not defined for the ${r.family} family with the ${r.link} link`);
  }
  out.push('');

  const level = confidenceLevel(r);
  const lo = percent((1 - level) / 2);
  const hi = percent(1 - (1 - level) / 2);
  out.push('Fixed effects:');
  const fe = r.fixedEffects;
  const est = formatColumn(fe.map((x) => x.estimate));
  const se = formatColumn(fe.map((x) => x.stdError));
  const z = fe.map((x) => x.statistic.toFixed(3));
  const ciL = formatColumn(fe.map((x) => x.ciLower));
  const ciU = formatColumn(fe.map((x) => x.ciUpper));
  // With t statistics (dfMethod residual or satterthwaite) the table has lmerTest's df column.
  const t = r.dfMethod === 'residual' || r.dfMethod === 'satterthwaite';
  const dfs = fe.map((x) => (x.df == null ? '' : formatNumber(x.df, 4)));
  out.push(
    ...alignTable(
      t ? ['', 'Estimate', 'Std. Error', 'df', 't value', 'Pr(>|t|)', lo, hi] : ['', 'Estimate', 'Std. Error', 'z value', 'Pr(>|z|)', lo, hi],
      fe.map((x, i) => (t ? [x.name, est[i]!, se[i]!, dfs[i]!, z[i]!, formatPValue(x.pValue), ciL[i]!, ciU[i]!] : [x.name, est[i]!, se[i]!, z[i]!, formatPValue(x.pValue), ciL[i]!, ciU[i]!])),
      t ? ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] : ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  out.push(
    r.dfMethod === 'satterthwaite'
      ? `(${percent(level)} confidence intervals and p-values from t with Satterthwaite's degrees of freedom)`
      : r.dfMethod === 'residual'
        ? `(${percent(level)} confidence intervals and p-values from t with the residual degrees of freedom, n - p)`
        : `(Wald ${percent(level)} confidence intervals; p-values from the standard normal)`,
  );
  out.push('');

  // MIDAS shows the BLUPs in its summary; a long list is cut, the JSON output has them all.
  out.push('Random-effect predictions (BLUPs):');
  const shown = r.randomEffects.slice(0, MAX_BLUP_LINES);
  const values = formatColumn(shown.map((x) => x.value));
  const condSds = formatColumn(shown.map((x) => x.condSd));
  out.push(
    ...alignTable(
      ['Group', 'Term', 'Level', 'Prediction', 'Cond. SD'],
      shown.map((x, i) => [x.group, x.term, x.level, values[i]!, condSds[i]!]),
      ['left', 'left', 'left', 'right', 'right'],
    ),
  );
  if (r.randomEffects.length > shown.length)
    out.push(`(first ${shown.length} of ${r.randomEffects.length}; --format json lists them all)`);
  out.push('');

  out.push(`Convergence: ${convergenceText(r)}`);
  if (r.singular) out.push('boundary (singular) fit: a variance is at or near zero, or a correlation at +-1');
  if (r.warnings.length > 0) {
    out.push('Warnings:');
    for (const w of r.warnings) {
      out.push(` - [${w.code}] ${w.message}`);
      if (w.advice) out.push(`   Advice: ${w.advice}`);
    }
  }
  out.push(`Fit time: ${formatNumber(r.timing.fitSeconds, 3)} s`);
  return out.join('\n') + '\n';
}

function formatCorrelation(c: number | undefined): string {
  if (c === undefined) return '';
  const s = c.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
}

export const textReporter: Reporter = { name: 'text', render: renderText };
