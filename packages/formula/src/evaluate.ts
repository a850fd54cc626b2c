import type { Expr } from './expr.js';

const UNARY: Readonly<Record<string, (x: number) => number>> = {
  log: Math.log,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  I: (x) => x,
  log10: Math.log10,
  log2: Math.log2,
  log1p: Math.log1p,
  expm1: Math.expm1,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
};

/**
 * Evaluates an arithmetic expression elementwise over columns of length n.
 * `column` returns a column's numeric values (NaN where not usable).
 */
export function evaluateExpr(e: Expr, column: (name: string) => Float64Array, n: number): Float64Array {
  switch (e.kind) {
    case 'name':
      return column(e.name);
    case 'number':
      return new Float64Array(n).fill(e.value);
    case 'paren':
      return evaluateExpr(e.inner, column, n);
    case 'unary': {
      const x = evaluateExpr(e.operand, column, n);
      if (e.op === '+') return x;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = -(x[i] as number);
      return out;
    }
    case 'call': {
      const f = UNARY[e.fn];
      if (!f || e.args.length !== 1) throw new Error(`unsupported function ${e.fn}`);
      const x = evaluateExpr(e.args[0] as Expr, column, n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x[i] as number);
      return out;
    }
    case 'binary': {
      const a = evaluateExpr(e.left, column, n);
      const b = evaluateExpr(e.right, column, n);
      const out = new Float64Array(n);
      switch (e.op) {
        case '+':
          for (let i = 0; i < n; i++) out[i] = (a[i] as number) + (b[i] as number);
          break;
        case '-':
          for (let i = 0; i < n; i++) out[i] = (a[i] as number) - (b[i] as number);
          break;
        case '*':
          for (let i = 0; i < n; i++) out[i] = (a[i] as number) * (b[i] as number);
          break;
        case '/':
          for (let i = 0; i < n; i++) out[i] = (a[i] as number) / (b[i] as number);
          break;
        case '^':
          for (let i = 0; i < n; i++) out[i] = (a[i] as number) ** (b[i] as number);
          break;
        default:
          throw new Error(`operator ${e.op} is not arithmetic`);
      }
      return out;
    }
  }
}
