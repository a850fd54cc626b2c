import type { GlmmResults, ReportContext, ReportRows, Reporter } from '@glmm/core';
import { escapeHtml } from './html-escape.js';
import {
  blupTables,
  exclusionsTable,
  fixedEffectsTable,
  iccTable,
  modelFitTable,
  modelInformationTable,
  randomEffectsTable,
} from './html-tables.js';
import { renderFigures } from './plots/report-plots.js';
import { methodTitle, referenceNote } from './summary-model.js';

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2em auto;padding:0 1em;color:#222;max-width:76em}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}
caption{text-align:left;font-weight:bold;padding:.3em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #e4e4e4;vertical-align:top}
th{text-align:left;background:#f4f4f4}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.warn{background:#fff6e0;border-left:4px solid #e0a000;padding:.4em .8em;margin:.4em 0}
.bad{color:#b00020;font-weight:bold}
.note{color:#555;font-size:.9em}
.plots{display:flex;flex-wrap:wrap;gap:1em}
figure{margin:0;max-width:100%}
figure svg{max-width:100%;height:auto}
figcaption{font-size:.85em;color:#444;max-width:28em}
details{margin:.5em 0}summary{cursor:pointer}
`;

/** BLUP tables of this many levels or fewer are open; longer ones are collapsed. */
const OPEN_BLUP_LEVELS = 50;
/** Longest BLUP table listed: beyond it the JSON output has every level. */
const MAX_BLUP_ROWS = 1000;

function section(title: string, body: string): string {
  return `<section>\n<h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

function warningsSection(r: GlmmResults): string | null {
  if (r.warnings.length === 0 && !r.singular && r.convergence.converged) return null;
  const parts: string[] = [];
  if (!r.convergence.converged) parts.push(`<p class="bad">The optimiser did not converge: ${escapeHtml(r.convergence.message)}</p>`);
  if (r.singular) parts.push('<p class="bad">Boundary (singular) fit: a variance is at or near zero, or a correlation at +-1.</p>');
  for (const w of r.warnings) {
    parts.push(`<div class="warn"><strong>${escapeHtml(w.code)}</strong>: ${escapeHtml(w.message)}<br>Advice: ${escapeHtml(w.advice)}</div>`);
  }
  return section('Warnings', parts.join('\n'));
}

function blupSection(r: GlmmResults): string {
  const parts = blupTables(r.randomEffects, MAX_BLUP_ROWS).map((t) => {
    const cut = t.shown < t.levels ? ` (first ${t.shown}; <code>--format json</code> lists every level)` : '';
    const label = `${escapeHtml(t.group)}: ${t.levels} levels${cut}`;
    return t.levels <= OPEN_BLUP_LEVELS
      ? `<h3>${label}</h3>\n${t.html}`
      : `<details><summary>${label}</summary>\n${t.html}\n</details>`;
  });
  return section('Random-effect predictions (BLUPs)', parts.join('\n'));
}

/**
 * A self-contained HTML page: the tables of fitglme and MIDAS and the
 * diagnostic plots as inline SVG.  No script, stylesheet, font or image is
 * loaded from anywhere, and every user string (formula, column and level
 * names, messages) is escaped.
 */
export async function renderHtml(r: GlmmResults, rows?: ReportRows): Promise<string> {
  const figures = await renderFigures(r, rows);
  const title = `${r.family} (${r.link}) mixed model: ${r.formula}`;
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Belt and braces: even if a string escaped the escaping, the page may load nothing and run no script.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(methodTitle(r))}</h1>`,
    section('Model information', modelInformationTable(r)),
  ];
  const warnings = warningsSection(r);
  if (warnings) parts.push(warnings);
  parts.push(section('Random effects', randomEffectsTable(r)));
  parts.push(
    section(
      'Intraclass correlation (at covariates = 0)',
      r.icc.length > 0 ? iccTable(r) : `<p>Not defined for the ${escapeHtml(r.family)} family with the ${escapeHtml(r.link)} link.</p>`,
    ),
  );
  parts.push(section('Fixed effects', `${fixedEffectsTable(r)}\n<p class="note">${escapeHtml(referenceNote(r))}.</p>`));
  parts.push(section('Model fit', modelFitTable(r)));
  parts.push(section('Excluded rows', r.excluded.count > 0 ? exclusionsTable(r) : '<p>No rows were excluded.</p>'));
  parts.push(blupSection(r));
  const plots = figures.map(
    (f) => `<figure class="plot" data-kind="${escapeHtml(f.kind)}">\n${f.svg}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>`,
  );
  const perRow = rows !== undefined || (r.diagnostics as GlmmResults['diagnostics'] | undefined)?.fitted !== undefined;
  const missing = rows
    ? ''
    : perRow
      ? '\n<p class="note">Fitted lines per group need the fit\'s rows, which results read back from JSON do not have.</p>'
      : '\n<p class="note">The residual plots need per-row diagnostics, which these results do not carry: render the report from the fit itself (glmm fit --format html).</p>';
  parts.push(section('Diagnostic plots', `<div class="plots">\n${plots.join('\n')}\n</div>${missing}`));
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

export const htmlReporter: Reporter = {
  name: 'html',
  render: (results: GlmmResults, context?: ReportContext) => renderHtml(results, context?.rows),
};
