import { GlmmInputError } from '@glmm/core';

/** One row of a hypothesis L beta = rhs. */
export interface ParsedContrast {
  readonly text: string;
  readonly coefficients: number[];
  readonly rhs: number;
}

type Token =
  | { readonly kind: 'name'; readonly index: number; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'op'; readonly op: '+' | '-' | '*' | '/' | '=' | '(' | ')'; readonly pos: number };

/** A linear form: sum coef_j beta_j + constant. */
interface Linear {
  readonly coef: Float64Array;
  readonly constant: number;
}

const WORD = /[A-Za-z0-9._]/;

/**
 * Parses a linear hypothesis on the fixed effects written with their
 * coefficient names, as `glmm test --contrast` takes it:
 * "recipeB - recipeC = 0", "2*x1 + x2 = 3", "(Intercept) + 5*Days = 300",
 * "(Bb2 + Bb3)/2 = 0".  Names are matched longest first, so names with
 * brackets, colons or operators in them ("(Intercept)", "A:B", "log(x + 1)")
 * work as written; whitespace inside a name is optional.  A missing
 * "= value" means "= 0".  Anything that is not linear in the coefficients
 * is an error naming the problem.
 */
export function parseContrast(text: string, names: readonly string[]): ParsedContrast {
  const tokens = tokenize(text, names);
  let at = 0;
  const p = names.length;
  const fail = (message: string, pos?: number): never => {
    throw new GlmmInputError(`contrast "${text}": ${message}${pos === undefined ? '' : ` at character ${pos + 1}`}`);
  };
  const peek = (): Token | undefined => tokens[at];
  const isOp = (t: Token | undefined, op: string): boolean => t !== undefined && t.kind === 'op' && t.op === op;
  const constant = (c: number): Linear => ({ coef: new Float64Array(p), constant: c });
  const isConstant = (x: Linear): boolean => x.coef.every((v) => v === 0);
  const scale = (x: Linear, s: number): Linear => ({ coef: x.coef.map((v) => v * s), constant: x.constant * s });
  const add = (a: Linear, b: Linear, sign: number): Linear => ({
    coef: a.coef.map((v, j) => v + sign * b.coef[j]!),
    constant: a.constant + sign * b.constant,
  });

  const primary = (): Linear => {
    const t = peek();
    if (t === undefined) return fail('ends where a coefficient or number was expected');
    at++;
    if (t.kind === 'number') return constant(t.value);
    if (t.kind === 'name') {
      const x = constant(0);
      x.coef[t.index] = 1;
      return x;
    }
    if (t.op === '(') {
      const inner = expression();
      if (!isOp(peek(), ')')) return fail('has an unclosed "("', t.pos);
      at++;
      return inner;
    }
    return fail(`has "${t.op}" where a coefficient or number was expected`, t.pos);
  };
  const unary = (): Linear => {
    const t = peek();
    if (isOp(t, '-')) {
      at++;
      return scale(unary(), -1);
    }
    if (isOp(t, '+')) {
      at++;
      return unary();
    }
    return primary();
  };
  const term = (): Linear => {
    let x = unary();
    for (;;) {
      const t = peek();
      if (isOp(t, '*')) {
        at++;
        const y = unary();
        if (isConstant(x)) x = scale(y, x.constant);
        else if (isConstant(y)) x = scale(x, y.constant);
        else return fail('multiplies two coefficients; a contrast must be linear in them', t!.pos);
      } else if (isOp(t, '/')) {
        at++;
        const y = unary();
        if (!isConstant(y)) return fail('divides by a coefficient; a contrast must be linear in them', t!.pos);
        if (y.constant === 0) return fail('divides by zero', t!.pos);
        x = scale(x, 1 / y.constant);
      } else return x;
    }
  };
  const expression = (): Linear => {
    let x = term();
    for (;;) {
      const t = peek();
      if (isOp(t, '+') || isOp(t, '-')) {
        at++;
        x = add(x, term(), isOp(t, '+') ? 1 : -1);
      } else return x;
    }
  };

  if (tokens.length === 0) fail('is empty');
  const lhs = expression();
  let rhs = constant(0);
  if (isOp(peek(), '=')) {
    at++;
    rhs = expression();
  }
  const rest = peek();
  if (rest !== undefined) fail(`has "${rest.kind === 'op' ? rest.op : text.slice(rest.pos).trim()}" where the contrast should end`, rest.pos);
  const form = add(lhs, rhs, -1);
  if (isConstant(form)) fail('involves no coefficient');
  // (+ 0 turns the -0 of negated zeros into 0.)
  return { text, coefficients: Array.from(form.coef, (v) => v + 0), rhs: -form.constant + 0 };
}

function tokenize(text: string, names: readonly string[]): Token[] {
  const tokens: Token[] = [];
  const byLength = names.map((name, index) => ({ name, index })).sort((a, b) => b.name.length - a.name.length);
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const named = matchName(text, i, byLength);
    if (named) {
      tokens.push({ kind: 'name', index: named.index, pos: i });
      i = named.end;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && !(i + num[0].length < text.length && /[A-Za-z_]/.test(text[i + num[0].length]!) && !/^[eE]/.test(text[i + num[0].length]!))) {
      tokens.push({ kind: 'number', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    if ('+-*/=()'.includes(ch)) {
      tokens.push({ kind: 'op', op: ch as '+', pos: i });
      i++;
      continue;
    }
    const word = /^[A-Za-z0-9._:()^]+/.exec(text.slice(i))?.[0] ?? ch;
    throw new GlmmInputError(
      `contrast "${text}": unknown coefficient "${word}" at character ${i + 1}; coefficients: ${names.join(', ')}`,
    );
  }
  return tokens;
}

/** The longest coefficient name at position i, with whitespace optional inside it and a word boundary after it. */
function matchName(text: string, i: number, byLength: readonly { name: string; index: number }[]): { index: number; end: number } | null {
  let best: { index: number; end: number } | null = null;
  for (const { name, index } of byLength) {
    let a = i;
    let ok = true;
    for (let b = 0; b < name.length; b++) {
      const c = name[b]!;
      if (/\s/.test(c)) continue;
      while (a < text.length && /\s/.test(text[a]!) && !/\s/.test(c)) a++;
      if (text[a] !== c) {
        ok = false;
        break;
      }
      a++;
    }
    if (!ok) continue;
    if (WORD.test(name[name.length - 1]!) && a < text.length && WORD.test(text[a]!)) continue;
    if (!best || a > best.end) best = { index, end: a };
  }
  return best;
}
