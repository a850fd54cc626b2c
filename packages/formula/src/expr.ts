/** Raw syntax tree of a formula, before R's term expansion. Positions are 1-based. */
export type BinaryOp = '~' | '+' | '-' | '*' | '/' | ':' | '^' | '|' | '||';

export type Expr =
  | { readonly kind: 'name'; readonly name: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly pos: number }
  | { readonly kind: 'call'; readonly fn: string; readonly args: readonly Expr[]; readonly pos: number }
  | { readonly kind: 'unary'; readonly op: '+' | '-'; readonly operand: Expr; readonly pos: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: number }
  | { readonly kind: 'paren'; readonly inner: Expr; readonly pos: number };

const SYNTACTIC = /^[A-Za-z.][A-Za-z0-9._]*$/;

function deparseName(name: string): string {
  return SYNTACTIC.test(name) && !/^\.\d/.test(name) ? name : `\`${name}\``;
}

/** R's deparse spacing: `a + b`, `a * b`, but `a/b`, `a^b`, `a:b`. */
export function deparse(e: Expr): string {
  switch (e.kind) {
    case 'name':
      return deparseName(e.name);
    case 'number':
      return e.text;
    case 'call':
      return `${e.fn}(${e.args.map(deparse).join(', ')})`;
    case 'unary':
      return `${e.op}${deparse(e.operand)}`;
    case 'paren':
      return `(${deparse(e.inner)})`;
    case 'binary': {
      const tight = e.op === '/' || e.op === '^' || e.op === ':';
      return tight ? `${deparse(e.left)}${e.op}${deparse(e.right)}` : `${deparse(e.left)} ${e.op} ${deparse(e.right)}`;
    }
  }
}

/** Column names an expression refers to, in order of first appearance. */
export function exprColumns(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'name':
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case 'call':
      for (const a of e.args) exprColumns(a, out);
      break;
    case 'unary':
      exprColumns(e.operand, out);
      break;
    case 'paren':
      exprColumns(e.inner, out);
      break;
    case 'binary':
      exprColumns(e.left, out);
      exprColumns(e.right, out);
      break;
    case 'number':
      break;
  }
  return out;
}
