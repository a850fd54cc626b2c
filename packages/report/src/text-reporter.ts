import type { GlmmResults, ReportContext, Reporter } from '@glmm/core';
import { alignTable } from './format.js';
import { renderFitglmeText } from './fitglme-text.js';
import { iccBand, iccBandCaveat } from './icc-band.js';
import { iccOnLatentScale } from './model-information.js';
import { coefficientColumns, coefScaleColumns, formatR, formatRNumber, roundR } from './r-format.js';
import {
  confidenceLevel,
  convergenceText,
  exclusionsText,
  familyParameterText,
  groupsLine,
  methodTitle,
  percent,
  referenceNote,
  usesT,
  varCorrLines,
} from './summary-model.js';

/** BLUP lines in the text summary before it points to the JSON output. */
const MAX_BLUP_LINES = 30;
/** lme4's summary digits: max(3, getOption("digits") - 3). */
const DIGITS = 4;

const indent = (lines: readonly string[]): string[] => lines.map((s) => ` ${s}`);
/** Four significant digits, as R's format(x, digits = 4). */
const significant = (x: number): string => formatRNumber(x, DIGITS).trim();

/**
 * A plain-text summary laid out like lme4's `summary()`, with its number
 * formatting (R's format() and printCoefmat()), plus ICC with MIDAS's
 * interpretation band, exclusions, BLUPs and advice as MIDAS shows them.
 */
export function renderText(r: GlmmResults): string {
  const out: string[] = [];
  out.push(methodTitle(r));
  // As glmer.nb prints "Negative Binomial(2.345)": the family with its estimated parameter.
  const parameter = r.familyParameter ? `(${r.familyParameter.name} = ${significant(r.familyParameter.estimate)})` : '';
  out.push(` Family: ${r.family}${parameter}  ( ${r.link} )`);
  out.push(`Formula: ${r.formula}`);
  out.push(`Rows excluded: ${exclusionsText(r)}`);
  out.push('');
  out.push(...aicTable(r));
  if (r.fit.remlCriterion !== null) out.push(`REML criterion at convergence: ${formatRNumber(roundR(r.fit.remlCriterion, 1)).trim()}`);
  out.push('');
  out.push(...randomEffectsTable(r));
  out.push(`Number of obs: ${r.nobs}, groups:  ${groupsLine(r)}`);
  const parameterLine = familyParameterText(r, significant);
  if (parameterLine) out.push(`Family parameter (maximum likelihood): ${parameterLine}`);
  out.push('');
  out.push(...iccLines(r));
  out.push('');
  out.push(...fixedEffectsTable(r));
  out.push('');
  out.push(...blupLines(r));
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
  out.push(`Fit time: ${formatRNumber(r.timing.fitSeconds, 3).trim()} s`);
  return out.join('\n') + '\n';
}

/** lme4's .prt.aictab: rounded to one decimal, formatted together, df.resid on its own; a named vector's common width. */
function aicTable(r: GlmmResults): string[] {
  const f = r.fit;
  const dfResid = r.nobs - f.df;
  const values = formatR([f.aic, f.bic, f.logLik, f.deviance, dfResid].map((v) => roundR(v, 1))).map((v) => v.trim());
  values[4] = formatRNumber(dfResid).trim();
  const names = ['AIC', 'BIC', 'logLik', 'deviance', 'df.resid'];
  const width = Math.max(...names.map((s) => s.length), ...values.map((s) => s.length));
  return [names.map((s) => s.padStart(width)).join(' '), values.map((s) => s.padStart(width)).join(' ')];
}

/** lme4's formatVC: each column formatted with 4 digits as one vector, correlations rounded to 2 decimals. */
function randomEffectsTable(r: GlmmResults): string[] {
  const lines = varCorrLines(r.varianceComponents);
  const variances = formatR(
    lines.map((l) => l.variance),
    DIGITS,
  );
  const sds = formatR(
    lines.map((l) => l.stdDev),
    DIGITS,
  );
  const correlations = lines.flatMap((l) => l.correlations);
  const corrText = formatR(
    correlations.map((c) => roundR(c, 2)),
    7,
    2,
  );
  let k = 0;
  const hasCorr = correlations.length > 0;
  const rows = lines.map((l, i) => [
    l.group,
    l.name,
    variances[i]!,
    sds[i]!,
    ...(hasCorr ? [l.correlations.map(() => corrText[k++]!.trim()).join(' ')] : []),
  ]);
  const header = ['Groups', 'Name', 'Variance', 'Std.Dev.', ...(hasCorr ? ['Corr'] : [])];
  return ['Random effects:', ...indent(alignTable(header, rows, ['left', 'left', 'left', 'left', 'left'], 1))];
}

function iccLines(r: GlmmResults): string[] {
  if (r.icc.length === 0) {
    return r.varianceComponents.some((v) => v.group !== 'Residual')
      ? [`Intraclass correlation: not defined for the ${r.family} family with the ${r.link} link`]
      : [];
  }
  const icc = formatR(
    r.icc.map((row) => row.value),
    DIGITS,
  );
  const deff = formatR(
    r.icc.map((row) => row.designEffect),
    DIGITS,
  );
  const size = formatR(
    r.icc.map((row) => row.meanGroupSize),
    DIGITS,
  );
  const rows = r.icc.map((row, i) => {
    const band = iccBand(row.value);
    return [row.group, icc[i]!.trim(), deff[i]!.trim(), size[i]!.trim(), `${band.interpretation} (${band.range})`];
  });
  const first = r.icc[0]!;
  return [
    'Intraclass correlation (at covariates = 0):',
    ...indent(alignTable(['Group', 'ICC', 'Design effect', 'Mean group size', 'MIDAS band'], rows, ['left', 'right', 'right', 'right', 'left'])),
    ` Residual variance${iccOnLatentScale(r) ? ' (latent scale)' : ''}: ${formatRNumber(first.residualVariance, 5).trim()} = ${first.formula}`,
    ` ${iccBandCaveat(iccOnLatentScale(r))}`,
  ];
}

/**
 * printCoefmat with lme4's 4 digits; the limits formatted as a pair the same
 * way.  With t statistics, lmerTest's df column (formatted on its own, as
 * printCoefmat formats a column that is neither coefficient nor statistic).
 */
function fixedEffectsTable(r: GlmmResults): string[] {
  const level = confidenceLevel(r);
  const fe = r.fixedEffects;
  const t = usesT(r);
  const cols = coefficientColumns(
    {
      estimate: fe.map((x) => x.estimate),
      stdError: fe.map((x) => x.stdError),
      ...(t ? { df: fe.map((x) => x.df ?? Number.NaN) } : {}),
      statistic: fe.map((x) => x.statistic),
      pValues: fe.map((x) => x.pValue),
    },
    DIGITS,
  );
  const [lo, hi] = coefScaleColumns([fe.map((x) => x.ciLower), fe.map((x) => x.ciUpper)], DIGITS) as [string[], string[]];
  const df = (cols.df ?? []).map((s) => (s === 'NaN' ? '' : s));
  const header = ['', 'Estimate', 'Std. Error', ...(t ? ['df', 't value', 'Pr(>|t|)'] : ['z value', 'Pr(>|z|)']), percent((1 - level) / 2), percent(1 - (1 - level) / 2)];
  const rows = fe.map((x, i) => [x.name, cols.estimate[i]!, cols.stdError[i]!, ...(t ? [df[i]!] : []), cols.statistic[i]!, cols.pValues![i]!, lo[i]!, hi[i]!]);
  return ['Fixed effects:', ...alignTable(header, rows, ['left', ...Array<'right'>(header.length - 1).fill('right')], 1), `(${referenceNote(r)})`];
}

/** MIDAS shows the BLUPs in its summary; a long list is cut, the JSON output has them all. */
function blupLines(r: GlmmResults): string[] {
  const shown = r.randomEffects.slice(0, MAX_BLUP_LINES);
  const values = formatR(
    shown.map((x) => x.value),
    DIGITS + 1,
  );
  const condSds = formatR(
    shown.map((x) => x.condSd),
    DIGITS + 1,
  );
  const out = [
    'Random-effect predictions (BLUPs):',
    ...alignTable(
      ['Group', 'Term', 'Level', 'Prediction', 'Cond. SD'],
      shown.map((x, i) => [x.group, x.term, x.level, values[i]!.trim(), condSds[i]!.trim()]),
      ['left', 'left', 'left', 'right', 'right'],
    ),
  ];
  if (r.randomEffects.length > shown.length) out.push(`(first ${shown.length} of ${r.randomEffects.length}; --format json lists them all)`);
  return out;
}

export const TEXT_STYLES = ['lme4', 'fitglme'] as const;

export const textReporter: Reporter = {
  name: 'text',
  styles: TEXT_STYLES,
  render: (results: GlmmResults, context?: ReportContext) =>
    context?.style === 'fitglme' ? renderFitglmeText(results) : renderText(results),
};
