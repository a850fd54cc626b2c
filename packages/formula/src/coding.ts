import { GlmmInputError } from '@glmm/core';

/**
 * How a categorical predictor of the fixed effects becomes columns of X
 * where R's factor pattern asks for contrasts (a main effect next to the
 * intercept, or an interaction whose margin is in the model):
 *  - reference: treatment contrasts, first level as reference (R's
 *    contr.treatment, fitglme's 'reference'); columns named `f<level>`;
 *  - effects: sum-to-zero contrasts, the last level coded -1 in every
 *    column (R's contr.sum, fitglme's 'effects'); columns named `f1`, `f2`,
 *    ... as R names them;
 *  - full: one indicator per level everywhere (fitglme's 'full'). As in
 *    fitglme, the intercept is kept, so with an intercept (or a second
 *    fully coded factor) the design is rank deficient and the fit says so.
 * Where R's pattern asks for indicators (a factor without its margin, e.g.
 * `0 + f`), every coding gives one indicator per level, named `f<level>`.
 */
export type CategoricalCoding = 'reference' | 'effects' | 'full';

export const CATEGORICAL_CODINGS: readonly CategoricalCoding[] = ['reference', 'effects', 'full'];

/** One coding for every categorical predictor, or one per column (the rest take the reference coding). */
export type CodingSpec = CategoricalCoding | Readonly<Record<string, CategoricalCoding>>;

export function isCategoricalCoding(s: unknown): s is CategoricalCoding {
  return typeof s === 'string' && (CATEGORICAL_CODINGS as readonly string[]).includes(s);
}

function checkName(coding: unknown, where: string): CategoricalCoding {
  if (!isCategoricalCoding(coding))
    throw new GlmmInputError(`unknown coding "${String(coding)}"${where}; codings: ${CATEGORICAL_CODINGS.join(', ')}`);
  return coding;
}

/**
 * The coding of each categorical fixed-effect column: `columns` are the
 * columns of the fixed part read as factors.  A coding named for a column
 * that is not one of them is an error naming those that are.
 */
export function resolveCoding(spec: CodingSpec | undefined, columns: readonly string[]): Map<string, CategoricalCoding> {
  const out = new Map<string, CategoricalCoding>();
  if (spec === undefined) return out;
  if (typeof spec === 'string') {
    const coding = checkName(spec, '');
    for (const c of columns) out.set(c, coding);
    return out;
  }
  if (spec === null || typeof spec !== 'object') throw new GlmmInputError(`coding must be a coding name or an object of column: coding (got ${spec === null ? 'null' : typeof spec})`);
  for (const [column, coding] of Object.entries(spec)) {
    const name = checkName(coding, ` for column "${column}"`);
    if (!columns.includes(column))
      throw new GlmmInputError(
        `coding given for "${column}", which is not a categorical predictor of the fixed effects; categorical predictors: ${columns.length ? columns.join(', ') : '(none)'}`,
      );
    out.set(column, name);
  }
  return out;
}

/**
 * The contrast matrix of a factor with `levels` under a coding, as R's
 * contr.treatment / contr.sum: K x m values, row-major (level * m + column),
 * and the m column-name suffixes.
 */
export interface Contrasts {
  readonly suffixes: readonly string[];
  readonly values: Float64Array;
}

export function contrastMatrix(levels: readonly string[], coding: CategoricalCoding): Contrasts {
  const K = levels.length;
  if (coding === 'full') return indicatorMatrix(levels);
  const m = K - 1;
  const values = new Float64Array(K * m);
  if (coding === 'reference') {
    for (let c = 0; c < m; c++) values[(c + 1) * m + c] = 1;
    return { suffixes: levels.slice(1), values };
  }
  for (let c = 0; c < m; c++) {
    values[c * m + c] = 1;
    values[(K - 1) * m + c] = -1;
  }
  return { suffixes: Array.from({ length: m }, (_, c) => String(c + 1)), values };
}

/** One indicator per level (R's contrasts = FALSE). */
export function indicatorMatrix(levels: readonly string[]): Contrasts {
  const K = levels.length;
  const values = new Float64Array(K * K);
  for (let l = 0; l < K; l++) values[l * K + l] = 1;
  return { suffixes: levels.slice(), values };
}
