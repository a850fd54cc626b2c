import { deparse, type Expr } from './expr.js';
import { parseFormulaSyntax } from './formula-parser.js';
import { FormulaSyntaxError } from './formula-syntax-error.js';

/**
 * A variable of a model formula: a column (`x`), a column forced categorical
 * (`factor(x)`), or a numeric expression (`log(x)`, `I(x^2)`).
 */
export interface FormulaVariable {
  /** As R labels it, e.g. "x", "factor(x)", "log(x + 1)". */
  readonly label: string;
  readonly kind: 'column' | 'factor' | 'numeric';
  /** The column behind a 'column' or 'factor' variable. */
  readonly column?: string;
  readonly expr: Expr;
}

/** One model term: an interaction of variables (a main effect has one). */
export interface FormulaTerm {
  /** "x", "a:b" (variables in the order they first appear in the formula). */
  readonly label: string;
  /** Indices into the owning TermSet's variables, ascending. */
  readonly variables: readonly number[];
}

/** What R's terms() makes of one side of a formula. */
export interface TermSet {
  readonly intercept: boolean;
  /** Every variable mentioned, in order of first appearance (as R orders them). */
  readonly variables: readonly FormulaVariable[];
  /** Terms sorted by order of interaction, stable otherwise (R's keep.order = FALSE). */
  readonly terms: readonly FormulaTerm[];
}

export type ResponseSpec =
  | { readonly kind: 'column'; readonly label: string; readonly column: string }
  | { readonly kind: 'expression'; readonly label: string; readonly expr: Expr }
  | { readonly kind: 'cbind'; readonly label: string; readonly successes: Expr; readonly failures: Expr };

/** One random-effects term after lme4's `||` and `/` expansion. */
export interface RandomSpec {
  /** lme4's deparsed term, e.g. "1 + Days | Subject". */
  readonly label: string;
  /** The model inside the bar: `(x | g)` has intercept and term x. */
  readonly lhs: TermSet;
  /** Columns whose interaction forms the grouping factor, as written: ["cask", "batch"]. */
  readonly factors: readonly string[];
  /** Grouping factor name as lme4 prints it: "Subject", "cask:batch". */
  readonly group: string;
}

export interface Formula {
  readonly text: string;
  readonly response: ResponseSpec;
  readonly fixed: TermSet;
  /** In formula order; buildModel re-sorts them as lme4 does. */
  readonly random: readonly RandomSpec[];
  /** Arguments of `offset(...)` terms. */
  readonly offsets: readonly Expr[];
}

const NUMERIC_FUNCTIONS = new Set(['log', 'exp', 'sqrt', 'abs', 'I', 'log10', 'log2', 'log1p', 'expm1', 'sin', 'cos', 'tan']);
const FACTOR_FUNCTIONS = new Set(['factor', 'as.factor']);
const FUNCTION_LIST = 'log, exp, sqrt, abs, I, log10, log2, log1p, expm1, sin, cos, tan, factor';

function unwrap(e: Expr): Expr {
  return e.kind === 'paren' ? unwrap(e.inner) : e;
}

function firstPos(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return firstPos(e.left);
    default:
      return e.pos;
  }
}

/** Checks that an expression is plain arithmetic on columns (for I(), log(), cbind()). */
export function checkNumericExpr(e: Expr): void {
  switch (e.kind) {
    case 'name':
    case 'number':
      return;
    case 'paren':
      checkNumericExpr(e.inner);
      return;
    case 'unary':
      checkNumericExpr(e.operand);
      return;
    case 'binary':
      if (!['+', '-', '*', '/', '^'].includes(e.op)) {
        throw new FormulaSyntaxError(e.pos, "an arithmetic operator (+ - * / ^) inside a function", `'${e.op}'`);
      }
      checkNumericExpr(e.left);
      checkNumericExpr(e.right);
      return;
    case 'call':
      if (!NUMERIC_FUNCTIONS.has(e.fn)) {
        throw new FormulaSyntaxError(e.pos, `a supported function (${FUNCTION_LIST})`, `'${e.fn}('`);
      }
      if (e.args.length !== 1) {
        throw new FormulaSyntaxError(e.pos, `one argument to ${e.fn}()`, `${e.args.length} arguments`);
      }
      checkNumericExpr(e.args[0] as Expr);
      return;
  }
}

type Term = number[];

const termKey = (t: readonly number[]): string => t.join(',');

function unique(terms: readonly Term[]): Term[] {
  const seen = new Set<string>();
  const out: Term[] = [];
  for (const t of terms) {
    const k = termKey(t);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

function union(a: readonly number[], b: readonly number[]): Term {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

function interact(left: readonly Term[], right: readonly Term[]): Term[] {
  const out: Term[] = [];
  for (const l of left) for (const r of right) out.push(union(l, r));
  return unique(out);
}

/**
 * R's terms() algorithm (EncodeVars in model.c): expands `+ - * / : ^`,
 * tracks the intercept with deletion parity, and orders terms by degree.
 */
class TermEncoder {
  readonly variables: FormulaVariable[] = [];
  private readonly index = new Map<string, number>();
  intercept = true;
  private parity = true;
  readonly random: RandomSpec[] = [];
  readonly offsets: Expr[] = [];

  constructor(private readonly allowRandom: boolean) {}

  private variable(e: Expr): number {
    let v: FormulaVariable;
    if (e.kind === 'name') {
      if (e.name === '.') throw new FormulaSyntaxError(e.pos, "column names ('.' is not supported)", "'.'");
      v = { label: deparse(e), kind: 'column', column: e.name, expr: e };
    } else if (e.kind === 'call' && FACTOR_FUNCTIONS.has(e.fn)) {
      const arg = e.args.length === 1 ? unwrap(e.args[0] as Expr) : undefined;
      if (arg === undefined || arg.kind !== 'name') {
        throw new FormulaSyntaxError(e.pos, `a single column name inside ${e.fn}()`, `'${deparse(e)}'`);
      }
      v = { label: deparse(e), kind: 'factor', column: arg.name, expr: e };
    } else {
      checkNumericExpr(e);
      v = { label: deparse(e), kind: 'numeric', expr: e };
    }
    const existing = this.index.get(v.label);
    if (existing !== undefined) return existing;
    this.index.set(v.label, this.variables.length);
    this.variables.push(v);
    return this.variables.length - 1;
  }

  /** `sumLevel`: reached from the top through `+` and parentheses only, where bars and offset() may appear. */
  encode(e: Expr, sumLevel: boolean): Term[] {
    switch (e.kind) {
      case 'number':
        if (e.value === 1) this.intercept = this.parity;
        else if (e.value === 0) this.intercept = !this.parity;
        else throw new FormulaSyntaxError(e.pos, "a column name, 0 or 1", `'${e.text}'`);
        return [];
      case 'name':
        return [[this.variable(e)]];
      case 'call':
        if (e.fn === 'offset') {
          if (!sumLevel || !this.parity) throw new FormulaSyntaxError(e.pos, "offset() added with '+'", `'${deparse(e)}'`);
          if (e.args.length !== 1) throw new FormulaSyntaxError(e.pos, 'one argument to offset()', `${e.args.length} arguments`);
          checkNumericExpr(e.args[0] as Expr);
          this.offsets.push(e.args[0] as Expr);
          return [];
        }
        if (e.fn === 'cbind') throw new FormulaSyntaxError(e.pos, "cbind() only as the response, left of '~'", "'cbind('");
        return [[this.variable(e)]];
      case 'paren': {
        const inner = unwrap(e);
        if (inner.kind === 'binary' && (inner.op === '|' || inner.op === '||')) {
          if (!this.allowRandom) throw new FormulaSyntaxError(inner.pos, "no '|' inside a random-effects term", `'${inner.op}'`);
          if (!sumLevel || !this.parity) {
            throw new FormulaSyntaxError(e.pos, "a random-effects term added with '+'", `'(${deparse(inner)})'`);
          }
          this.random.push(...expandRandom(inner.left, inner.right, inner.op === '||'));
          return [];
        }
        return this.encode(e.inner, sumLevel);
      }
      case 'unary': {
        if (e.op === '+') return this.encode(e.operand, sumLevel);
        this.parity = !this.parity;
        this.encode(e.operand, false);
        this.parity = !this.parity;
        return [];
      }
      case 'binary':
        return this.binary(e, sumLevel);
    }
  }

  private binary(e: Extract<Expr, { kind: 'binary' }>, sumLevel: boolean): Term[] {
    switch (e.op) {
      case '+':
        return unique([...this.encode(e.left, sumLevel), ...this.encode(e.right, sumLevel)]);
      case '-': {
        const left = this.encode(e.left, sumLevel);
        this.parity = !this.parity;
        const right = this.encode(e.right, false);
        this.parity = !this.parity;
        const drop = new Set(right.map(termKey));
        return left.filter((t) => !drop.has(termKey(t)));
      }
      case ':':
        return interact(this.encode(e.left, false), this.encode(e.right, false));
      case '*': {
        const left = this.encode(e.left, false);
        const right = this.encode(e.right, false);
        return unique([...left, ...right, ...interact(left, right)]);
      }
      case '/': {
        const left = this.encode(e.left, false);
        const right = this.encode(e.right, false);
        const all = left.reduce<Term>((acc, t) => union(acc, t), []);
        return unique([...left, ...right.map((r) => union(all, r))]);
      }
      case '^': {
        const power = unwrap(e.right);
        if (power.kind !== 'number' || !Number.isInteger(power.value) || power.value < 1) {
          throw new FormulaSyntaxError(e.right.pos, "a positive whole number after '^'", `'${deparse(e.right)}'`);
        }
        const base = this.encode(e.left, false);
        let result = base;
        for (let k = 1; k < power.value; k++) result = unique([...result, ...interact(result, base)]);
        return result;
      }
      case '|':
      case '||':
        throw new FormulaSyntaxError(firstPos(e), `'(' around the random-effects term '${deparse(e)}'`, `'${deparse(e.left)}'`);
      case '~':
        throw new FormulaSyntaxError(e.pos, "a single '~'", "'~'");
    }
  }

  termSet(terms: readonly Term[]): TermSet {
    const kept = terms.filter((t) => t.length > 0);
    const ordered = kept
      .map((t, i) => ({ t, i }))
      .sort((a, b) => a.t.length - b.t.length || a.i - b.i)
      .map(({ t }) => ({ label: t.map((v) => (this.variables[v] as FormulaVariable).label).join(':'), variables: t }));
    return { intercept: this.intercept, variables: this.variables, terms: ordered };
  }
}

function encodeSide(e: Expr, allowRandom: boolean): TermEncoder & { set: TermSet } {
  const enc = new TermEncoder(allowRandom);
  const terms = enc.encode(e, true);
  return Object.assign(enc, { set: enc.termSet(terms) });
}

type SlashTree = string[] | SlashTree[];

function colonNames(e: Expr): string[] {
  const u = unwrap(e);
  if (u.kind === 'name') return [u.name];
  if (u.kind === 'binary' && u.op === ':') return [...colonNames(u.left), ...colonNames(u.right)];
  throw new FormulaSyntaxError(u.pos, "a grouping column name (or a:b, a/b)", `'${deparse(u)}'`);
}

function hasSlash(e: Expr): boolean {
  const u = unwrap(e);
  return u.kind === 'binary' && (u.op === '/' || hasSlash(u.left) || hasSlash(u.right));
}

function slashTerms(e: Expr): SlashTree {
  const u = unwrap(e);
  if (!hasSlash(u)) return colonNames(u);
  if (u.kind !== 'binary' || u.op !== '/') {
    throw new FormulaSyntaxError(u.pos, "a nesting a/b at the top of the grouping factor", `'${deparse(u)}'`);
  }
  if (hasSlash(u.right)) {
    throw new FormulaSyntaxError(unwrap(u.right).pos, "a grouping column (or a:b) right of '/'; write a/b/c for deeper nesting", `'${deparse(u.right)}'`);
  }
  return [slashTerms(u.left), slashTerms(u.right)] as SlashTree[];
}

const isLeaf = (x: SlashTree): x is string[] => x.length === 0 || typeof x[0] === 'string';

/** lme4's makeInteraction: a/b/c -> c:b:a, b:a, a. */
function makeInteraction(x: SlashTree): SlashTree {
  if (isLeaf(x) || x.length < 2) return x;
  const trm1 = makeInteraction(x[0] as SlashTree);
  const trm11 = isLeaf(trm1) ? trm1 : (trm1[0] as SlashTree);
  const inner = x[1] as SlashTree;
  // slashTerms guarantees the right side of '/' is a leaf.
  return [[...(inner as string[]), ...(trm11 as string[])], trm1] as SlashTree[];
}

function flatten(x: SlashTree, out: string[][] = []): string[][] {
  if (isLeaf(x)) out.push(x);
  else for (const c of x as SlashTree[]) flatten(c, out);
  return out;
}

function termLabel(set: TermSet): string {
  const parts = set.terms.map((t) => t.label);
  if (set.intercept) return parts.length ? `1 + ${parts.join(' + ')}` : '1';
  return parts.length ? `0 + ${parts.join(' + ')}` : '0';
}

/** lme4's expandDoubleVerts then expandSlash, in that order. */
function expandRandom(lhsExpr: Expr, groupExpr: Expr, uncorrelated: boolean): RandomSpec[] {
  const lhs = encodeSide(lhsExpr, false).set;
  const groups = flatten(makeInteraction(slashTerms(groupExpr)));
  const pieces: TermSet[] = [];
  if (uncorrelated) {
    if (lhs.intercept) pieces.push({ intercept: true, variables: lhs.variables, terms: [] });
    for (const t of lhs.terms) pieces.push({ intercept: false, variables: lhs.variables, terms: [t] });
  } else {
    pieces.push(lhs);
  }
  const out: RandomSpec[] = [];
  for (const piece of pieces) {
    for (const factors of groups) {
      const group = factors.join(':');
      out.push({ label: `${termLabel(piece)} | ${group}`, lhs: piece, factors, group });
    }
  }
  return out;
}

function responseSpec(e: Expr): ResponseSpec {
  const u = unwrap(e);
  if (u.kind === 'name') return { kind: 'column', label: deparse(u), column: u.name };
  if (u.kind === 'call' && u.fn === 'cbind') {
    if (u.args.length !== 2) {
      throw new FormulaSyntaxError(u.pos, 'two arguments to cbind(successes, failures)', `${u.args.length} argument${u.args.length === 1 ? '' : 's'}`);
    }
    const [s, f] = u.args as [Expr, Expr];
    checkNumericExpr(s);
    checkNumericExpr(f);
    return { kind: 'cbind', label: deparse(u), successes: s, failures: f };
  }
  if (u.kind === 'binary' && (u.op === '|' || u.op === '||')) {
    throw new FormulaSyntaxError(u.pos, "a response column before '~'", `'${u.op}'`);
  }
  checkNumericExpr(u);
  return { kind: 'expression', label: deparse(u), expr: u };
}

/** Parses an lme4 formula; throws FormulaSyntaxError with the 1-based position of the problem. */
export function parseFormula(text: string): Formula {
  if (typeof text !== 'string') throw new FormulaSyntaxError(1, 'a formula string', typeof text);
  const { lhs, rhs } = parseFormulaSyntax(text);
  const response = responseSpec(lhs);
  const fixed = encodeSide(rhs, true);
  return { text, response, fixed: fixed.set, random: fixed.random, offsets: fixed.offsets };
}
