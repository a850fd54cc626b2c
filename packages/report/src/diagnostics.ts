import type { Diagnostics, ModelMatrices, RawFit, RandomEffectRow } from '@glmm/core';

/** One row per (term, level, column) of the conditional modes. */
export function randomEffectRows(fit: RawFit): RandomEffectRow[] {
  const rows: RandomEffectRow[] = [];
  for (const m of fit.modes) {
    const k = m.columnNames.length;
    m.levels.forEach((level, l) => {
      for (let c = 0; c < k; c++) {
        rows.push({ group: m.group, term: m.columnNames[c]!, level, value: m.values[l * k + c]!, condSd: m.condSd[l * k + c]! });
      }
    });
  }
  return rows;
}

/**
 * Keys "group|column" of the per-row random-effect columns, one per term
 * column; a second term on the same factor with the same column name gets
 * lme4's ".1" suffix on the group so that no column is lost.
 */
export function randomEffectKeys(fit: RawFit): string[][] {
  const used = new Set<string>();
  return fit.modes.map((m) =>
    m.columnNames.map((column) => {
      let key = `${m.group}|${column}`;
      for (let s = 1; used.has(key); s++) key = `${m.group}.${s}|${column}`;
      used.add(key);
      return key;
    }),
  );
}

/** What the diagnostics read of the model: not X, which a caller may reuse once the fit is done. */
export type DiagnosticsModel = Pick<ModelMatrices, 'n' | 'terms' | 'usedRows'>;

/** Per-row diagnostics, column-wise, rows numbered as in the input (1-based). */
export function buildDiagnostics(fit: RawFit, model: DiagnosticsModel): Diagnostics {
  const n = model.n;
  for (const [name, col] of [
    ['eta', fit.eta],
    ['fitted', fit.fitted],
    ['residResponse', fit.residResponse],
    ['residDeviance', fit.residDeviance],
    ['residPearson', fit.residPearson],
  ] as const) {
    if (col.length !== n) throw new Error(`RawFit.${name} has ${col.length} rows, the model has ${n}`);
  }
  if (fit.modes.length !== model.terms.length) {
    throw new Error(`RawFit has ${fit.modes.length} random-effect terms, the model has ${model.terms.length}`);
  }
  const randomEffects: Record<string, number[]> = {};
  const keys = randomEffectKeys(fit);
  fit.modes.forEach((m, t) => {
    const term = model.terms[t]!;
    const k = m.columnNames.length;
    if (term.group !== m.group || term.levels.length !== m.levels.length) {
      throw new Error(`RawFit term ${t} (${m.group}) does not match model term ${term.group}`);
    }
    const idx = term.index;
    const values = m.values;
    for (let c = 0; c < k; c++) {
      // Fill a typed column first: a packed array converts faster than a holey one fills.
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = values[idx[i]! * k + c]!;
      randomEffects[keys[t]![c]!] = Array.from(col);
    }
  });
  return {
    row: Array.from(Float64Array.from(model.usedRows).map((r) => r + 1)),
    fitted: Array.from(fit.fitted),
    linearPredictor: Array.from(fit.eta),
    responseResiduals: Array.from(fit.residResponse),
    devianceResiduals: Array.from(fit.residDeviance),
    pearsonResiduals: Array.from(fit.residPearson),
    randomEffects,
  };
}
