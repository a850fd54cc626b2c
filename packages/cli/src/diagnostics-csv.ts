import type { Diagnostics } from '@glmm/core';

/**
 * Column name of one random-effects key ("group|term") in the diagnostics CSV:
 * `re_<group>_<term>` reduced to characters that every spreadsheet and R's
 * `read.csv` keep as they are ("(Intercept)" becomes "Intercept", "b:a" becomes "b_a").
 */
export function randomEffectColumnName(key: string): string {
  const bar = key.indexOf('|');
  const group = bar < 0 ? key : key.slice(0, bar);
  const term = bar < 0 ? '' : key.slice(bar + 1);
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9_.]+/g, '_').replace(/^_+|_+$/g, '');
  return term === '' ? `re_${clean(group)}` : `re_${clean(group)}_${clean(term)}`;
}

/** Key of the first term's intercept, which MIDAS exports as `group_random_effect`. */
function interceptKey(keys: readonly string[]): string | undefined {
  const first = keys[0];
  if (first === undefined) return undefined;
  const group = first.slice(0, first.indexOf('|'));
  return keys.find((k) => k === `${group}|(Intercept)`);
}

function formatNumber(x: number): string {
  // Shortest round-trip representation; R and pandas read "NA" as missing.
  return Number.isFinite(x) ? String(x) : Number.isNaN(x) ? 'NA' : x > 0 ? 'Inf' : '-Inf';
}

/** The per-row diagnostics as CSV text (header plus one line per used row). */
export function diagnosticsCsv(d: Diagnostics): string {
  const reKeys = Object.keys(d.randomEffects);
  const alias = interceptKey(reKeys);
  const header = [
    'row',
    'fitted',
    'linear_predictor',
    'response_residual',
    'deviance_residual',
    'pearson_residual',
    ...reKeys.map(randomEffectColumnName),
    ...(alias === undefined ? [] : ['group_random_effect']),
  ];
  const columns: readonly (readonly number[])[] = [
    d.row,
    d.fitted,
    d.linearPredictor,
    d.responseResiduals,
    d.devianceResiduals,
    d.pearsonResiduals,
    ...reKeys.map((k) => d.randomEffects[k] as number[]),
    ...(alias === undefined ? [] : [d.randomEffects[alias] as number[]]),
  ];
  const n = d.row.length;
  const lines: string[] = [header.join(',')];
  for (let i = 0; i < n; i++) {
    let line = '';
    for (let j = 0; j < columns.length; j++) {
      const value = (columns[j] as readonly number[])[i];
      line += (j ? ',' : '') + (value === undefined ? 'NA' : formatNumber(value));
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
