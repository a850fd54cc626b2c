import type { GlmmResults, Reporter } from '@glmm/core';
import { escapeHtml } from './html-escape.js';
import { formatColumn, formatNumber, formatPValue } from './format.js';
import {
  confidenceLevel,
  convergenceText,
  exclusionsText,
  groupsLine,
  methodTitle,
  percent,
  varCorrLines,
} from './summary-model.js';
import { histogramSvg, scatterSvg } from './svg-plots.js';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:60em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #e4e4e4}
th{text-align:left;background:#f4f4f4}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.warn{background:#fff6e0;border-left:4px solid #e0a000;padding:.4em .8em;margin:.4em 0}
.bad{color:#b00020;font-weight:bold}
figure{display:inline-block;margin:.5em 1em .5em 0}
code{background:#f4f4f4;padding:0 .2em}
`;

type Cell = string | { num: string };

/** Keeps the page readable for models with thousands of levels. */
const MAX_BLUP_ROWS = 500;

function table(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const head = `<thead><tr>${header.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map(
      (r) =>
        `<tr>${r
          .map((c) => (typeof c === 'string' ? `<td>${escapeHtml(c)}</td>` : `<td class="num">${escapeHtml(c.num)}</td>`))
          .join('')}</tr>`,
    )
    .join('\n');
  return `<table>\n${head}\n<tbody>\n${body}\n</tbody>\n</table>`;
}

const num = (s: string): Cell => ({ num: s });

/** A self-contained HTML page: the summary tables and two inline SVG residual plots. */
export function renderHtml(r: GlmmResults): string {
  const parts: string[] = [];
  const title = `${r.family} (${r.link}) mixed model: ${r.formula}`;
  parts.push(`<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(title)}</title>`);
  parts.push(`<style>${STYLE}</style>\n</head>\n<body>`);
  parts.push(`<h1>${escapeHtml(methodTitle(r))}</h1>`);
  parts.push(
    table(
      ['Item', 'Value'],
      [
        ['Formula', r.formula],
        ['Family (link)', `${r.family} (${r.link})`],
        ['Observations', String(r.nobs)],
        ['Groups', groupsLine(r)],
        ['Rows excluded', exclusionsText(r)],
        ['Convergence', convergenceText(r)],
        ['Fit time', `${formatNumber(r.timing.fitSeconds, 3)} s`],
      ],
    ),
  );

  if (r.warnings.length > 0 || r.singular || !r.convergence.converged) {
    parts.push('<h2>Warnings</h2>');
    if (!r.convergence.converged) parts.push(`<p class="bad">The optimiser did not converge: ${escapeHtml(r.convergence.message)}</p>`);
    for (const w of r.warnings) {
      parts.push(
        `<div class="warn"><strong>${escapeHtml(w.code)}</strong>: ${escapeHtml(w.message)}<br>Advice: ${escapeHtml(w.advice)}</div>`,
      );
    }
  }

  const f = r.fit;
  parts.push('<h2>Model fit</h2>');
  const fitRows: Cell[][] = [
    ['AIC', num(formatNumber(f.aic, 6))],
    ['BIC', num(formatNumber(f.bic, 6))],
    ['log-likelihood', num(formatNumber(f.logLik, 6))],
    ['deviance (-2 logLik)', num(formatNumber(f.deviance, 6))],
    ['conditional deviance', num(formatNumber(f.conditionalDeviance, 6))],
    ['parameters (df)', num(String(f.df))],
  ];
  if (f.remlCriterion !== null) fitRows.push(['REML criterion', num(formatNumber(f.remlCriterion, 6))]);
  parts.push(table(['Statistic', 'Value'], fitRows));

  parts.push('<h2>Random effects</h2>');
  const lines = varCorrLines(r.varianceComponents);
  const variances = formatColumn(lines.map((l) => l.variance));
  const sds = formatColumn(lines.map((l) => l.stdDev));
  parts.push(
    table(
      ['Groups', 'Name', 'Variance', 'Std.Dev.', 'Corr'],
      lines.map((l, i) => [l.group, l.name, num(variances[i]!), num(sds[i]!), l.correlations.map((c) => c.toFixed(3)).join(' ')]),
    ),
  );

  if (r.icc.length > 0) {
    parts.push('<h2>Intraclass correlation (at covariates = 0)</h2>');
    parts.push(
      table(
        ['Group', 'ICC', 'Design effect', 'Mean group size', 'Residual variance', 'Formula'],
        r.icc.map((row) => [
          row.group,
          num(formatNumber(row.value, 4)),
          num(formatNumber(row.designEffect, 4)),
          num(formatNumber(row.meanGroupSize, 4)),
          num(formatNumber(row.residualVariance, 5)),
          row.formula,
        ]),
      ),
    );
  }

  const level = confidenceLevel(r);
  parts.push('<h2>Fixed effects</h2>');
  const fe = r.fixedEffects;
  const est = formatColumn(fe.map((x) => x.estimate));
  const se = formatColumn(fe.map((x) => x.stdError));
  const ciL = formatColumn(fe.map((x) => x.ciLower));
  const ciU = formatColumn(fe.map((x) => x.ciUpper));
  // With t statistics (dfMethod residual or satterthwaite) the table has a df column.
  const t = r.dfMethod === 'residual' || r.dfMethod === 'satterthwaite';
  parts.push(
    table(
      ['Term', 'Estimate', 'Std. Error', ...(t ? ['df'] : []), t ? 't value' : 'z value', t ? 'Pr(>|t|)' : 'Pr(>|z|)', `${percent(level)} CI lower`, `${percent(level)} CI upper`],
      fe.map((x, i) => [
        x.name,
        num(est[i]!),
        num(se[i]!),
        ...(t ? [num(x.df == null ? '' : formatNumber(x.df, 4))] : []),
        num(x.statistic.toFixed(3)),
        num(formatPValue(x.pValue)),
        num(ciL[i]!),
        num(ciU[i]!),
      ]),
    ),
  );

  parts.push('<h2>Random-effect predictions (BLUPs)</h2>');
  // One row per level, the terms of a grouping factor side by side, as MIDAS's BLUP table.
  const shown = r.randomEffects.slice(0, MAX_BLUP_ROWS);
  const values = formatColumn(shown.map((x) => x.value));
  const condSds = formatColumn(shown.map((x) => x.condSd));
  parts.push(
    table(
      ['Group', 'Term', 'Level', 'Prediction', 'Cond. SD'],
      shown.map((x, i) => [x.group, x.term, x.level, num(values[i]!), num(condSds[i]!)]),
    ),
  );
  if (r.randomEffects.length > shown.length)
    parts.push(
      `<p>First ${shown.length} of ${r.randomEffects.length} predictions; the JSON output (<code>--format json</code>) has them all.</p>`,
    );

  const d = r.diagnostics;
  parts.push('<h2>Residuals</h2>');
  parts.push(
    `<figure>${scatterSvg(d.fitted, d.pearsonResiduals, 'Pearson residuals vs fitted', 'fitted value', 'Pearson residual')}</figure>`,
  );
  parts.push(`<figure>${histogramSvg(d.devianceResiduals, 'Deviance residuals', 'deviance residual')}</figure>`);
  parts.push('</body>\n</html>\n');
  return parts.join('\n');
}

export const htmlReporter: Reporter = { name: 'html', render: renderHtml };
