import type { GlmmResults } from '@glmm/core';
import { alignTable } from './format.js';
import { iccBand } from './icc-band.js';
import { hasResidualRow, modelInformation } from './model-information.js';
import { confidenceLevel, exclusionsText, percent, referenceNote, usesT } from './summary-model.js';

/**
 * MATLAB's display format "short g": five significant digits, C's %g rule
 * for scientific notation (exponent below -4 or at least 5), trailing zeros
 * dropped, a two-digit exponent.
 */
export function shortG(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const [mantissa, exp] = x.toExponential(4).split('e') as [string, string];
  const e = Number(exp);
  const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
  if (e < -4 || e >= 5) return `${trim(mantissa)}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return trim(x.toFixed(Math.max(0, 4 - e)));
}

const quote = (s: string): string => `'${s}'`;
const indent = (lines: readonly string[]): string[] => lines.map((s) => `    ${s}`);

function title(r: GlmmResults): string {
  const method = r.method.toUpperCase();
  // fitlme's title for linear mixed models (REML or ML), fitglme's for the rest, which are ML.
  if (method === 'REML' || method === 'ML') return `Linear mixed-effects model fit by ${method}`;
  return 'Generalized linear mixed-effects model fit by ML';
}

/** MATLAB's capitalised names for the distribution and link rows. */
function capitalise(s: string): string {
  return s.length > 0 ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/**
 * The results laid out as MATLAB displays a fitted GeneralizedLinearMixedModel
 * (fitglme): model information, formula, fit statistics, fixed effects with
 * confidence limits, covariance parameters per group; then the MIDAS ICC line.
 */
export function renderFitglmeText(r: GlmmResults): string {
  const info = modelInformation(r);
  const out: string[] = [title(r), '', 'Model information:'];
  const infoRows: [string, string][] = [
    ['Number of observations', String(info.observations)],
    ['Fixed effects coefficients', String(info.fixedCoefficients)],
    ['Random effects coefficients', String(info.randomCoefficients)],
    ['Covariance parameters', String(info.covarianceParameters)],
    ['Distribution', capitalise(info.distribution)],
    ['Link', capitalise(info.link)],
    ['FitMethod', info.fitMethod],
  ];
  const labelWidth = Math.max(...infoRows.map(([l]) => l.length));
  const valueWidth = Math.max(...infoRows.map(([, v]) => v.length));
  out.push(...indent(infoRows.map(([l, v]) => `${l.padEnd(labelWidth)}    ${v.padStart(valueWidth)}`)));
  if (r.excluded.count > 0) out.push(`    Rows excluded: ${exclusionsText(r)}`);

  out.push('', 'Formula:', `    ${r.formula}`, '');
  out.push('Model fit statistics:');
  const f = r.fit;
  out.push(...indent(alignTable(['AIC', 'BIC', 'LogLikelihood', 'Deviance'], [[f.aic, f.bic, f.logLik, f.deviance].map(shortG)], Array(4).fill('left'))));
  out.push('');

  const level = confidenceLevel(r);
  out.push(`Fixed effects coefficients (${percent(level)} CIs):`);
  // fitglme's tStat and DF columns when the fit refers to t; a z statistic has no DF.
  const t = usesT(r);
  const header = ['Name', 'Estimate', 'SE', ...(t ? ['tStat', 'DF'] : ['zStat']), 'pValue', 'Lower', 'Upper'];
  out.push(
    ...indent(
      alignTable(
        header,
        r.fixedEffects.map((x) => [
          quote(x.name),
          shortG(x.estimate),
          shortG(x.stdError),
          shortG(x.statistic),
          ...(t ? [x.df == null ? '' : shortG(x.df)] : []),
          ...[x.pValue, x.ciLower, x.ciUpper].map(shortG),
        ]),
        ['left', ...Array<'right'>(header.length - 1).fill('right')],
      ),
    ),
  );
  out.push(`    (${referenceNote(r)})`);
  out.push('');

  out.push('Random effects covariance parameters:');
  for (const group of covarianceGroups(r)) {
    out.push(`Group: ${group.group} (${r.ngroups[group.group] ?? '?'} Levels)`);
    out.push(...indent(alignTable(['Name1', 'Name2', 'Type', 'Estimate'], group.rows, ['left', 'left', 'left', 'left'])));
    out.push('');
  }
  if (hasResidualRow(r)) {
    // fitlme names the residual SD "Res Std"; fitglme shows the square root of the dispersion.
    const name = title(r).startsWith('Linear') ? 'Res Std' : 'sqrt(Dispersion)';
    out.push('Group: Error');
    out.push(...indent(alignTable(['Name', 'Estimate'], [[quote(name), shortG(r.sigma)]], ['left', 'left'])));
    out.push('');
  }
  const p = r.familyParameter;
  if (p) {
    // fitglme has no such block (its families have none); laid out as its other parameter tables.
    out.push('Family parameter (maximum likelihood):');
    out.push(...indent(alignTable(['Name', 'Estimate', 'SE'], [[quote(p.name), shortG(p.estimate), p.stdError === null ? 'NaN' : shortG(p.stdError)]], ['left', 'left', 'left'])));
    out.push('');
  }
  for (const row of r.icc) {
    const band = iccBand(row.value);
    out.push(
      `ICC (${row.group}): ${shortG(row.value)}, ${band.interpretation} (MIDAS band ${band.range}); design effect ${shortG(row.designEffect)}`,
    );
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/**
 * Covariance parameters per term in MATLAB's order: for each term, the
 * lower triangle of its covariance column by column, SDs on the diagonal
 * and correlations off it.
 */
function covarianceGroups(r: GlmmResults): { group: string; rows: string[][] }[] {
  const groups: { group: string; names: string[]; sd: Map<string, number>; corr: Map<string, number> }[] = [];
  let current: (typeof groups)[number] | null = null;
  for (const v of r.varianceComponents) {
    if (v.group === 'Residual' && v.term === null) continue;
    if (v.term2 !== undefined) {
      current?.corr.set(`${v.term}\u0000${v.term2}`, v.correlation ?? v.stdDev);
      continue;
    }
    const term = v.term ?? '';
    if (!current || current.group !== v.group || current.names.includes(term)) {
      current = { group: v.group, names: [], sd: new Map(), corr: new Map() };
      groups.push(current);
    }
    current.names.push(term);
    current.sd.set(term, v.stdDev);
  }
  return groups.map((g) => {
    const rows: string[][] = [];
    g.names.forEach((a, j) => {
      rows.push([quote(a), quote(a), quote('std'), shortG(g.sd.get(a)!)]);
      for (let i = j + 1; i < g.names.length; i++) {
        const b = g.names[i]!;
        const c = g.corr.get(`${a}\u0000${b}`) ?? g.corr.get(`${b}\u0000${a}`);
        if (c !== undefined) rows.push([quote(b), quote(a), quote('corr'), shortG(c)]);
      }
    });
    return { group: g.group, rows };
  });
}
