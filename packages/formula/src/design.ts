import { GlmmInputError } from '@glmm/core';
import { contrastMatrix, indicatorMatrix, type CategoricalCoding } from './coding.js';
import { onesColumn } from './constant-columns.js';
import type { FactorCodes } from './factor.js';
import type { TermSet } from './formula.js';

/** A variable's values over the used rows. */
export type VariableData =
  | { readonly kind: 'numeric'; readonly values: Float64Array }
  | { readonly kind: 'factor'; readonly factor: FactorCodes };

export interface Design {
  readonly names: string[];
  /** R's "assign": per column, 0 for the intercept, j for the set's j-th term (1-based). */
  readonly assign: number[];
  /** Column-major n x names.length; read only (it may be a shared column of ones). */
  readonly matrix: Float64Array;
}

const CONTRASTS = 1;
const INDICATORS = 2;

function isSubset(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v) => b.includes(v));
}

/**
 * R's factor pattern (TermCode in model.c): a factor in a term is coded by
 * contrasts when the term without it is empty or contained in an earlier
 * term, otherwise by one indicator per level. Without an intercept, the
 * first factor of the first term holding one gets indicators. A factor
 * under full coding gets indicators everywhere.
 */
function codingPattern(set: TermSet, isFactor: (v: number) => boolean, full: (v: number) => boolean): number[][] {
  const codes = set.terms.map((term, j) =>
    term.variables.map((v) => {
      if (full(v)) return INDICATORS;
      const rest = term.variables.filter((w) => w !== v);
      if (rest.length === 0) return CONTRASTS;
      for (let k = 0; k < j; k++) if (isSubset(rest, (set.terms[k] as TermSet['terms'][number]).variables)) return CONTRASTS;
      return INDICATORS;
    }),
  );
  if (!set.intercept) {
    outer: for (let j = 0; j < set.terms.length; j++) {
      const term = set.terms[j] as TermSet['terms'][number];
      for (let a = 0; a < term.variables.length; a++) {
        if (isFactor(term.variables[a] as number)) {
          (codes[j] as number[])[a] = INDICATORS;
          break outer;
        }
      }
    }
  }
  return codes;
}

interface Block {
  readonly names: readonly string[];
  readonly data: VariableData;
  /** A factor's K x m contrast values, row-major (level * m + column); empty for a numeric variable. */
  readonly contrasts: Float64Array;
}

function blockFor(label: string, data: VariableData, code: number, coding: CategoricalCoding, n: number, context: string): Block {
  if (data.kind === 'numeric') return { names: [label], data, contrasts: new Float64Array(0) };
  const { levels } = data.factor;
  if (code === CONTRASTS && levels.length < 2) {
    throw new GlmmInputError(
      `categorical column "${label}" has only 1 level ("${levels[0] ?? ''}") in the ${n} rows used${context}; ${coding === 'effects' ? 'effects' : 'treatment'} contrasts need at least 2 levels`,
    );
  }
  const { suffixes, values } = code === CONTRASTS ? contrastMatrix(levels, coding) : indicatorMatrix(levels);
  return { names: suffixes.map((s) => `${label}${s}`), data, contrasts: values };
}

/** Writes column c of a block into out[offset .. offset + n). */
function writeBlock(out: Float64Array, offset: number, b: Block, c: number, n: number): void {
  if (b.data.kind === 'numeric') {
    out.set(b.data.values.length === n ? b.data.values : b.data.values.subarray(0, n), offset);
    return;
  }
  const codes = b.data.factor.codes;
  const m = b.names.length;
  const table = b.contrasts;
  for (let i = 0; i < n; i++) out[offset + i] = table[(codes[i] as number) * m + c] as number;
}

/** Multiplies out[offset .. offset + n) by column c of a block, in place. */
function multiplyBlock(out: Float64Array, offset: number, b: Block, c: number, n: number): void {
  if (b.data.kind === 'numeric') {
    const v = b.data.values;
    for (let i = 0; i < n; i++) out[offset + i] = (out[offset + i] as number) * (v[i] as number);
    return;
  }
  const codes = b.data.factor.codes;
  const m = b.names.length;
  const table = b.contrasts;
  for (let i = 0; i < n; i++) out[offset + i] = (out[offset + i] as number) * (table[(codes[i] as number) * m + c] as number);
}

/**
 * R's model.matrix for a term set, over n rows, in `storage` (of exactly the
 * length asked for); `coding` gives each variable's coding (by its index in
 * the set; reference by default).
 */
export function buildDesign(
  set: TermSet,
  data: readonly VariableData[],
  n: number,
  context = '',
  storage: (length: number) => Float64Array = (length) => new Float64Array(length),
  coding: (variable: number) => CategoricalCoding = () => 'reference',
): Design {
  // R's rule looks only at factors with more than one level (nlevs > 1 in model.c).
  const isFactor = (v: number): boolean => {
    const d = data[v] as VariableData;
    return d.kind === 'factor' && d.factor.levels.length > 1;
  };
  const pattern = codingPattern(set, isFactor, (v) => isFactor(v) && coding(v) === 'full');
  const names: string[] = [];
  const assign: number[] = [];
  const fillers: { blocks: Block[]; combo: number[] }[] = [];
  if (set.intercept) {
    names.push('(Intercept)');
    assign.push(0);
  }
  set.terms.forEach((term, j) => {
    const blocks = term.variables.map((v, a) =>
      blockFor(
        (set.variables[v] as TermSet['variables'][number]).label,
        data[v] as VariableData,
        (pattern[j] as number[])[a] as number,
        coding(v),
        n,
        context,
      ),
    );
    // Columns of an interaction: the first variable varies fastest.
    const sizes = blocks.map((b) => b.names.length);
    const total = sizes.reduce((a, b) => a * b, 1);
    for (let c = 0; c < total; c++) {
      const combo: number[] = [];
      let rest = c;
      for (const s of sizes) {
        combo.push(rest % s);
        rest = Math.floor(rest / s);
      }
      names.push(combo.map((k, b) => (blocks[b] as Block).names[k]).join(':'));
      assign.push(j + 1);
      fillers.push({ blocks, combo });
    }
  });
  // An intercept alone (a random intercept, y ~ 1) is the shared column of ones.
  if (set.intercept && names.length === 1) return { names, assign, matrix: onesColumn(n) };
  // Every element is written below, so storage need not come zeroed.
  const matrix = storage(n * names.length);
  if (matrix.length !== n * names.length) throw new Error(`design storage has ${matrix.length} elements, ${n * names.length} were asked for`);
  let offset = 0;
  if (set.intercept) {
    matrix.fill(1, 0, n);
    offset = n;
  }
  for (const { blocks, combo } of fillers) {
    // R multiplies the columns of an interaction left to right, starting from 1; 1 * v = v exactly.
    if (blocks.length === 0) matrix.fill(1, offset, offset + n);
    else writeBlock(matrix, offset, blocks[0] as Block, combo[0] as number, n);
    for (let b = 1; b < blocks.length; b++) multiplyBlock(matrix, offset, blocks[b] as Block, combo[b] as number, n);
    offset += n;
  }
  return { names, assign, matrix };
}
