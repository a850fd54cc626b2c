import type { GlmmResults, RandomEffectRow } from '@glmm/core';
import { escapeHtml } from './html-escape.js';
import { iccBand, iccBandCaveat } from './icc-band.js';
import { iccOnLatentScale, modelInformation } from './model-information.js';
import { coefficientColumns, coefScaleColumns, formatR, formatRNumber, roundR } from './r-format.js';
import { confidenceLevel, convergenceText, exclusionsText, familyParameterText, groupsLine, percent, usesT, varCorrLines } from './summary-model.js';

/** The report's tables as HTML: every user string escaped, numbers formatted as R formats them. */

type Cell = string | { num: string };
const num = (s: string): Cell => ({ num: s.trim() });

export function table(header: readonly string[], rows: readonly (readonly Cell[])[], caption?: string): string {
  const cap = caption ? `<caption>${escapeHtml(caption)}</caption>\n` : '';
  const head = `<thead><tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${r.map((c) => (typeof c === 'string' ? `<td>${escapeHtml(c)}</td>` : `<td class="num">${escapeHtml(c.num)}</td>`)).join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n${cap}${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

/** fitglme's "Model information", with the formula, groups, exclusions and convergence. */
export function modelInformationTable(r: GlmmResults): string {
  const info = modelInformation(r);
  const parameter = familyParameterText(r, (x) => formatRNumber(x, 4).trim());
  return table(
    ['Item', 'Value'],
    [
      ['Formula', r.formula],
      ['Number of observations', num(String(info.observations))],
      ['Fixed effects coefficients', num(String(info.fixedCoefficients))],
      ['Random effects coefficients', num(String(info.randomCoefficients))],
      ['Covariance parameters', num(String(info.covarianceParameters))],
      ['Distribution', info.distribution],
      ...(parameter ? [['Family parameter (maximum likelihood)', parameter] as const] : []),
      ['Link', info.link],
      ['FitMethod', info.fitMethod],
      ['Groups', groupsLine(r)],
      ['Rows excluded', exclusionsText(r)],
      ['Convergence', convergenceText(r)],
      ['Fit time', `${formatRNumber(r.timing.fitSeconds, 3).trim()} s`],
    ],
  );
}

/** MIDAS's random-effects table: variance and SD per term, correlations, the residual. */
export function randomEffectsTable(r: GlmmResults): string {
  const lines = varCorrLines(r.varianceComponents);
  const variances = formatR(
    lines.map((l) => l.variance),
    4,
  );
  const sds = formatR(
    lines.map((l) => l.stdDev),
    4,
  );
  return table(
    ['Groups', 'Name', 'Variance', 'Std.Dev.', 'Corr'],
    lines.map((l, i) => [l.group, l.name, num(variances[i]!), num(sds[i]!), l.correlations.map((c) => roundR(c, 2).toFixed(2)).join(' ')]),
  );
}

/** ICC per grouping factor with MIDAS's interpretation band and the design effect. */
export function iccTable(r: GlmmResults): string {
  const fmt = (values: number[], digits = 4) => formatR(values, digits);
  const icc = fmt(r.icc.map((x) => x.value));
  const deff = fmt(r.icc.map((x) => x.designEffect));
  const size = fmt(r.icc.map((x) => x.meanGroupSize));
  const resid = fmt(
    r.icc.map((x) => x.residualVariance),
    5,
  );
  return (
    table(
      ['Group', 'ICC', 'Interpretation (MIDAS)', 'Design effect', 'Mean group size', 'Residual variance', 'Formula'],
      r.icc.map((row, i) => {
        const band = iccBand(row.value);
        return [row.group, num(icc[i]!), `${band.interpretation} (${band.range})`, num(deff[i]!), num(size[i]!), num(resid[i]!), row.formula];
      }),
    ) + `\n<p class="note">${escapeHtml(iccBandCaveat(iccOnLatentScale(r)))}</p>`
  );
}

/** The fixed effects as printCoefmat formats them; with t statistics, the df column and t headers. */
export function fixedEffectsTable(r: GlmmResults): string {
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
  );
  const [lo, hi] = coefScaleColumns([fe.map((x) => x.ciLower), fe.map((x) => x.ciUpper)]) as [string[], string[]];
  const df = (cols.df ?? []).map((s) => (s === 'NaN' ? '' : s));
  return table(
    ['Variable', 'Estimate', 'Std. Error', ...(t ? ['df', 't value', 'Pr(>|t|)'] : ['z value', 'p-value']), `${percent(level)} CI lower`, `${percent(level)} CI upper`],
    fe.map((x, i) => [
      x.name,
      num(cols.estimate[i]!),
      num(cols.stdError[i]!),
      ...(t ? [num(df[i]!)] : []),
      num(cols.statistic[i]!),
      num(cols.pValues![i]!),
      num(lo[i]!),
      num(hi[i]!),
    ]),
  );
}

export function modelFitTable(r: GlmmResults): string {
  const f = r.fit;
  const rows: Cell[][] = [
    ['AIC', num(formatRNumber(f.aic))],
    ['BIC', num(formatRNumber(f.bic))],
    ['log-likelihood', num(formatRNumber(f.logLik))],
    ['deviance (-2 logLik)', num(formatRNumber(f.deviance))],
    ['conditional deviance', num(formatRNumber(f.conditionalDeviance))],
    ['parameters (df)', num(String(f.df))],
  ];
  if (f.remlCriterion !== null) rows.push(['REML criterion', num(formatRNumber(f.remlCriterion))]);
  return table(['Statistic', 'Value'], rows);
}

/** Excluded rows counted per reason, with the first rows of each as examples. */
export function exclusionsTable(r: GlmmResults): string {
  const { byReason, rows } = r.excluded;
  return table(
    ['Reason', 'Rows', 'First rows (column)'],
    Object.entries(byReason)
      .filter(([, k]) => k > 0)
      .map(([reason, k]) => [
        reason,
        num(String(k)),
        rows
          .filter((x) => x.reason === reason)
          .slice(0, 5)
          .map((x) => `${x.row} (${x.column})`)
          .join(', '),
      ]),
  );
}

/** Predictions of one grouping factor, its term columns side by side as MIDAS shows them. */
export interface BlupTable {
  group: string;
  levels: number;
  html: string;
  shown: number;
}

/** BLUP tables: one per grouping term; beyond `maxRows` levels only the first are listed. */
export function blupTables(rows: readonly RandomEffectRow[], maxRows: number): BlupTable[] {
  const blocks: { group: string; terms: string[]; levels: string[]; values: Map<string, Map<string, RandomEffectRow>> }[] = [];
  let current: (typeof blocks)[number] | null = null;
  for (const row of rows) {
    // A new block at a new group, or when a (term, level) pair repeats (a second term on the same factor).
    if (!current || current.group !== row.group || current.values.get(row.term)?.has(row.level)) {
      current = { group: row.group, terms: [], levels: [], values: new Map() };
      blocks.push(current);
    }
    let byLevel = current.values.get(row.term);
    if (!byLevel) {
      byLevel = new Map();
      current.terms.push(row.term);
      current.values.set(row.term, byLevel);
    }
    if (current.terms[0] === row.term) current.levels.push(row.level);
    byLevel.set(row.level, row);
  }
  return blocks.map((b) => {
    const shownLevels = b.levels.slice(0, maxRows);
    const columns = b.terms.map((t) => {
      const byLevel = b.values.get(t)!;
      const values = shownLevels.map((l) => byLevel.get(l)?.value ?? Number.NaN);
      const sds = shownLevels.map((l) => byLevel.get(l)?.condSd ?? Number.NaN);
      return { values: formatR(values, 5), sds: formatR(sds, 5) };
    });
    const header = ['Level', ...b.terms.flatMap((t) => [t, 'cond. SD'])];
    const body = shownLevels.map((level, i) => [level, ...columns.flatMap((c) => [num(c.values[i]!), num(c.sds[i]!)])]);
    return { group: b.group, levels: b.levels.length, shown: shownLevels.length, html: table(header, body) };
  });
}

