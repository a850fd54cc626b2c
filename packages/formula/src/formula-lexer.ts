import { FormulaSyntaxError } from './formula-syntax-error.js';

export type TokenKind = 'name' | 'number' | 'op' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Name text, number text or the operator itself. */
  readonly text: string;
  /** 1-based position of the token's first character. */
  readonly pos: number;
}

const OPERATORS = ['||', '~', '+', '-', '*', '/', ':', '^', '|', '(', ')', ','];

/** Splits a formula into names, numbers and operators. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '`') {
      const close = text.indexOf('`', i + 1);
      if (close < 0) throw new FormulaSyntaxError(text.length + 1, "closing '`'", 'end of formula');
      if (close === i + 1) throw new FormulaSyntaxError(i + 2, 'a column name between backticks', "'`'");
      tokens.push({ kind: 'name', text: text.slice(i + 1, close), pos: start + 1 });
      i = close + 1;
      continue;
    }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'number', text: num[0], pos: start + 1 });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z._][A-Za-z0-9._]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], pos: start + 1 });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', text: op, pos: start + 1 });
      i += op.length;
      continue;
    }
    throw new FormulaSyntaxError(start + 1, 'a column name, number or operator', `'${ch}'`);
  }
  tokens.push({ kind: 'end', text: '', pos: text.length + 1 });
  return tokens;
}

export function describeToken(t: Token): string {
  return t.kind === 'end' ? 'end of formula' : `'${t.text}'`;
}
