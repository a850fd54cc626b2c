import { contrastMatrix, type CategoricalCoding } from '@glmm/formula';

/**
 * The fixed-effects design as functions of the predictors: for each term,
 * which variables it multiplies and how each factor is coded there (R's
 * contrasts where the factor pattern asks for them, one indicator per level
 * otherwise).  Type III hypotheses are built from it without the data.
 */

/** What the layout reads of a fitted model frame's encoding (ModelFrameEncoding of @glmm/formula has this shape). */
export interface FrameEncodingLike {
  readonly intercept: boolean;
  readonly coding: Readonly<Record<string, CategoricalCoding>>;
  readonly fixed: readonly (
    | { readonly label: string; readonly kind: 'numeric' }
    | { readonly label: string; readonly kind: 'factor'; readonly column: string; readonly levels: readonly string[] }
    | { readonly label: string; readonly kind: 'unused' }
  )[];
  readonly fixedNames: readonly string[];
  readonly fixedTerms: readonly { readonly label: string; readonly variables: readonly string[]; readonly columns: readonly number[] }[];
}

export interface LayoutVariable {
  readonly label: string;
  /** Number of levels of a factor; 0 for a numeric variable. */
  readonly levels: number;
  /** The data column behind a factor (codings are per column). */
  readonly column?: string;
  readonly levelNames?: readonly string[];
}

export interface LayoutTerm {
  readonly label: string;
  /** Indices into the layout's variables. */
  readonly variables: readonly number[];
  /** Per variable of the term: its levels x k coding, row-major; null for a numeric variable. */
  readonly codings: readonly (Float64Array | null)[];
  /** Per variable: number of coding columns (1 for a numeric variable). */
  readonly sizes: readonly number[];
  /** Whether each factor is coded by contrasts (else by indicators) in this term. */
  readonly contrasts: readonly boolean[];
  /** Columns of X, in R's order: the first variable's coding column varies fastest. */
  readonly columns: readonly number[];
}

export interface DesignLayout {
  readonly p: number;
  /** The intercept's column, or -1. */
  readonly intercept: number;
  readonly variables: readonly LayoutVariable[];
  readonly terms: readonly LayoutTerm[];
}

/**
 * The layout of an encoded frame under its own codings, or, with
 * `treatment`, with every contrast-coded factor coded by treatment contrasts
 * instead (the parameterisation lmerTest defines Type III hypotheses in).
 * Throws when the encoding's columns do not follow from its terms.
 */
export function designLayout(encoding: FrameEncodingLike, treatment = false): DesignLayout {
  const variables: LayoutVariable[] = [];
  const index = new Map<string, number>();
  for (const v of encoding.fixed) {
    if (v.kind === 'unused') continue;
    index.set(v.label, variables.length);
    variables.push(
      v.kind === 'factor' ? { label: v.label, levels: v.levels.length, column: v.column, levelNames: v.levels } : { label: v.label, levels: 0 },
    );
  }
  const interceptTerm = encoding.fixedTerms.find((t) => t.variables.length === 0);
  const intercept = interceptTerm ? interceptTerm.columns[0]! : -1;
  const rawTerms = encoding.fixedTerms.filter((t) => t.variables.length > 0);
  const termVars = rawTerms.map((t) =>
    t.variables.map((label) => {
      const i = index.get(label);
      if (i === undefined) throw new Error(`term "${t.label}" names variable "${label}", which the encoding does not list`);
      return i;
    }),
  );
  const isFactor = (v: number): boolean => variables[v]!.levels > 1;
  const codingOf = (v: number): CategoricalCoding => {
    const column = variables[v]!.column;
    return column === undefined ? 'reference' : (encoding.coding[column] ?? 'reference');
  };
  const pattern = factorPattern(termVars, encoding.intercept, isFactor, (v) => codingOf(v) === 'full');

  const terms: LayoutTerm[] = rawTerms.map((t, j) => {
    const vars = termVars[j]!;
    const codings: (Float64Array | null)[] = [];
    const sizes: number[] = [];
    const suffixes: (readonly string[] | null)[] = [];
    vars.forEach((v, a) => {
      const variable = variables[v]!;
      if (variable.levels === 0) {
        codings.push(null);
        sizes.push(1);
        suffixes.push(null);
        return;
      }
      const contrasts = pattern[j]![a]!;
      const coding: CategoricalCoding = !contrasts ? 'full' : treatment ? 'reference' : codingOf(v);
      const c = contrastMatrix(variable.levelNames!, coding);
      codings.push(c.values);
      sizes.push(c.suffixes.length);
      suffixes.push(c.suffixes);
    });
    const count = sizes.reduce((a, b) => a * b, 1);
    if (count !== t.columns.length)
      throw new Error(`term "${t.label}" has ${t.columns.length} columns in the encoding, but its coding gives ${count}`);
    if (!treatment) checkNames(encoding.fixedNames, t.columns, vars.map((v) => variables[v]!.label), suffixes, sizes);
    return { label: t.label, variables: vars, codings, sizes, contrasts: pattern[j]!, columns: t.columns };
  });
  return { p: encoding.fixedNames.length, intercept, variables, terms };
}

/**
 * R's factor pattern (TermCode in model.c, as @glmm/formula's design): a
 * factor is coded by contrasts in a term when the term without it is empty
 * or contained in an earlier term, else by indicators; without an
 * intercept the first factor of the first term holding one gets indicators;
 * a factor under full coding gets indicators everywhere.
 */
export function factorPattern(
  terms: readonly (readonly number[])[],
  intercept: boolean,
  isFactor: (v: number) => boolean,
  full: (v: number) => boolean,
): boolean[][] {
  const codes = terms.map((vars, j) =>
    vars.map((v) => {
      if (full(v)) return false;
      const rest = vars.filter((w) => w !== v);
      if (rest.length === 0) return true;
      for (let k = 0; k < j; k++) if (rest.every((w) => terms[k]!.includes(w))) return true;
      return false;
    }),
  );
  if (!intercept) {
    outer: for (let j = 0; j < terms.length; j++)
      for (let a = 0; a < terms[j]!.length; a++)
        if (isFactor(terms[j]![a]!)) {
          codes[j]![a] = false;
          break outer;
        }
  }
  return codes;
}

/** The column names the layout implies must be the encoding's: otherwise the hypotheses would be about other columns. */
function checkNames(
  names: readonly string[],
  columns: readonly number[],
  labels: readonly string[],
  suffixes: readonly (readonly string[] | null)[],
  sizes: readonly number[],
): void {
  columns.forEach((col, c) => {
    let rest = c;
    const parts = labels.map((label, a) => {
      const k = rest % sizes[a]!;
      rest = Math.floor(rest / sizes[a]!);
      const s = suffixes[a];
      return s ? `${label}${s[k]}` : label;
    });
    const expected = parts.join(':');
    if (names[col] !== expected) throw new Error(`column ${col} of X is "${names[col]}", but the layout gives "${expected}"`);
  });
}

/** The value of column c of a term at a row, given each variable's level (factors) or value (numerics). */
export function termColumnValue(term: LayoutTerm, c: number, levelOf: (v: number) => number, valueOf: (v: number) => number): number {
  let rest = c;
  let out = 1;
  term.variables.forEach((v, a) => {
    const size = term.sizes[a]!;
    const k = rest % size;
    rest = Math.floor(rest / size);
    const coding = term.codings[a];
    out *= coding ? coding[levelOf(v) * size + k]! : valueOf(v);
  });
  return out;
}
