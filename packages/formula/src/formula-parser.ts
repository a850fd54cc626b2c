import type { BinaryOp, Expr } from './expr.js';
import { describeToken, tokenize, type Token } from './formula-lexer.js';
import { FormulaSyntaxError } from './formula-syntax-error.js';

const OPERAND = "a column name, number or '('";

/**
 * Recursive-descent parser with R's operator precedence, lowest first:
 * `~`, `|`/`||`, binary `+ -`, `* /`, `:`, unary `+ -`, `^`.
 */
class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.i] as Token;
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }

  private expect(text: string): Token {
    const t = this.peek();
    if (t.kind !== 'op' || t.text !== text) throw new FormulaSyntaxError(t.pos, `'${text}'`, describeToken(t));
    this.i++;
    return t;
  }

  formula(): { lhs: Expr; rhs: Expr; tildePos: number } {
    if (this.isOp('~')) {
      throw new FormulaSyntaxError(this.peek().pos, 'a response (column name or cbind(...)) before \'~\'', "'~'");
    }
    const lhs = this.bar();
    const tilde = this.peek();
    if (tilde.kind !== 'op' || tilde.text !== '~') throw new FormulaSyntaxError(tilde.pos, "'~'", describeToken(tilde));
    this.i++;
    const rhs = this.bar();
    const end = this.peek();
    if (end.kind !== 'end') {
      const expected = end.kind === 'op' && end.text === ')' ? "end of formula (unbalanced ')')" : "an operator or end of formula";
      throw new FormulaSyntaxError(end.pos, expected, describeToken(end));
    }
    return { lhs, rhs, tildePos: tilde.pos };
  }

  private binaryLevel(ops: readonly string[], next: () => Expr): Expr {
    let left = next();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.text)) return left;
      this.i++;
      const right = next();
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
  }

  private bar(): Expr {
    return this.binaryLevel(['|', '||'], () => this.sum());
  }

  private sum(): Expr {
    return this.binaryLevel(['+', '-'], () => this.product());
  }

  private product(): Expr {
    return this.binaryLevel(['*', '/'], () => this.colon());
  }

  private colon(): Expr {
    return this.binaryLevel([':'], () => this.unary());
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      this.i++;
      return { kind: 'unary', op: t.text, operand: this.unary(), pos: t.pos };
    }
    return this.power();
  }

  private power(): Expr {
    const base = this.primary();
    const t = this.peek();
    if (t.kind === 'op' && t.text === '^') {
      this.i++;
      return { kind: 'binary', op: '^', left: base, right: this.unary(), pos: t.pos };
    }
    return base;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t.kind === 'number') {
      this.i++;
      return { kind: 'number', value: Number(t.text), text: t.text, pos: t.pos };
    }
    if (t.kind === 'name') {
      this.i++;
      if (this.isOp('(')) {
        this.i++;
        const args: Expr[] = [];
        if (!this.isOp(')')) {
          args.push(this.bar());
          while (this.isOp(',')) {
            this.i++;
            args.push(this.bar());
          }
        }
        const close = this.peek();
        if (close.kind !== 'op' || close.text !== ')') {
          throw new FormulaSyntaxError(close.pos, args.length ? "',' or ')'" : "')'", describeToken(close));
        }
        this.i++;
        return { kind: 'call', fn: t.text, args, pos: t.pos };
      }
      return { kind: 'name', name: t.text, pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '(') {
      this.i++;
      if (this.isOp(')')) throw new FormulaSyntaxError(this.peek().pos, OPERAND, "')'");
      const inner = this.bar();
      this.expect(')');
      return { kind: 'paren', inner, pos: t.pos };
    }
    throw new FormulaSyntaxError(t.pos, OPERAND, describeToken(t));
  }
}

/** Parses formula text into its raw two-sided syntax tree. */
export function parseFormulaSyntax(text: string): { lhs: Expr; rhs: Expr; tildePos: number } {
  return new Parser(tokenize(text)).formula();
}
