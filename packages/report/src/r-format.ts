/**
 * R's number formatting (base R's formatReal and printCoefmat's rules), so
 * that the lme4-style summary prints the digits R prints: one common layout
 * per column, fixed notation unless scientific is narrower, `digits`
 * significant digits for the element that needs the most.
 */

interface Scientific {
  neg: boolean;
  /** Decimal exponent of the value rounded to `digits` significant digits. */
  kpower: number;
  /** Significant digits left after dropping trailing zeros (at most `digits`). */
  nsig: number;
  /** Fixed notation keeps a digit that scientific rounding would carry (9996 with 3 digits). */
  roundingWidens: boolean;
}

function scientific(x: number, digits: number): Scientific {
  if (x === 0) return { neg: false, kpower: 0, nsig: 1, roundingWidens: false };
  const neg = x < 0;
  const r = Math.abs(x);
  // toExponential rounds the decimal expansion of the double exactly, as R's sprintf path does.
  const [mantissa, exponent] = r.toExponential(digits - 1).split('e') as [string, string];
  const kpower = Number(exponent);
  const significand = mantissa.replace('.', '').replace(/0+$/, '');
  const nsig = Math.max(1, significand.length);
  let rgt = digits - kpower;
  rgt = rgt < 0 ? 0 : rgt > 22 ? 22 : rgt;
  const fuzz = 0.5 / 10 ** rgt;
  const roundingWidens = kpower > 0 && kpower <= 22 && r < 10 ** kpower - fuzz;
  return { neg, kpower, nsig, roundingWidens };
}

/** The common layout R's formatReal chooses for a vector: width, decimals, and exponent digits (0 = fixed). */
export interface RLayout {
  width: number;
  decimals: number;
  /** 0 for fixed notation; 1 for a two-digit exponent, 2 for three digits. */
  exponent: number;
}

export function formatRealLayout(values: readonly number[], digits = 7, nsmall = 0): RLayout {
  let neg = false;
  let rgt = Number.MIN_SAFE_INTEGER;
  let mxl = Number.MIN_SAFE_INTEGER;
  let mnl = Number.MAX_SAFE_INTEGER;
  let mxsl = Number.MIN_SAFE_INTEGER;
  let mxns = Number.MIN_SAFE_INTEGER;
  let nonFiniteWidth = 0;
  for (const x of values) {
    if (!Number.isFinite(x)) {
      nonFiniteWidth = Math.max(nonFiniteWidth, nonFiniteText(x).length);
      continue;
    }
    const s = scientific(x, digits);
    let left = s.kpower + 1;
    if (s.roundingWidens) left--;
    const sleft = (s.neg ? 1 : 0) + (left <= 0 ? 1 : left);
    const right = s.nsig - left;
    if (s.neg) neg = true;
    rgt = Math.max(rgt, right);
    mxl = Math.max(mxl, left);
    mnl = Math.min(mnl, left);
    mxsl = Math.max(mxsl, sleft);
    mxns = Math.max(mxns, s.nsig);
  }
  if (mxl === Number.MIN_SAFE_INTEGER) return { width: nonFiniteWidth, decimals: 0, exponent: 0 };
  if (mxl < 0) mxsl = 1 + (neg ? 1 : 0);
  if (rgt < 0) rgt = 0;
  let wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
  let exponent = mxl > 100 || mnl <= -99 ? 2 : 1;
  let decimals = mxns - 1;
  let width = (neg ? 1 : 0) + (decimals > 0 ? 1 : 0) + decimals + 4 + exponent;
  if (wF <= width) {
    exponent = 0;
    if (nsmall > rgt) {
      rgt = nsmall;
      wF = mxsl + rgt + (rgt !== 0 ? 1 : 0);
    }
    decimals = rgt;
    width = wF;
  }
  return { width: Math.max(width, nonFiniteWidth), decimals, exponent };
}

function nonFiniteText(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Inf' : '-Inf';
}

/** One value in a layout, unpadded. */
export function encodeReal(x: number, layout: RLayout): string {
  if (!Number.isFinite(x)) return nonFiniteText(x);
  if (layout.exponent === 0) {
    const s = x.toFixed(layout.decimals);
    // C's printf keeps the sign of a negative value that rounds to zero; R prints what printf gives, except -0 itself.
    return x === 0 ? s.replace(/^-/, '') : s;
  }
  const [mantissa, exp] = x.toExponential(layout.decimals).split('e') as [string, string];
  const e = Number(exp);
  const digitsOfExponent = layout.exponent === 2 ? 3 : 2;
  return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(digitsOfExponent, '0')}`;
}

/** R's `format(values, digits = , nsmall = )`: every element in one layout, right-justified to a common width. */
export function formatR(values: readonly number[], digits = 7, nsmall = 0): string[] {
  const layout = formatRealLayout(values, digits, nsmall);
  return values.map((x) => encodeReal(x, layout).padStart(layout.width));
}

/** One number as R prints it alone (`print(x, digits = )`, `cat`). */
export function formatRNumber(x: number, digits = 7): string {
  return formatR([x], digits)[0]!;
}

/**
 * R's round(x, digits) for digits >= 0 (R >= 4.0.0): the representable
 * candidate nearer to x, of the two with `digits` decimals around it, so
 * round(0.15, 1) is 0.1 (0.15 is stored just below it).
 */
export function roundR(x: number, digits: number): number {
  if (!Number.isFinite(x) || digits > 15) return x;
  const p = 10 ** digits;
  const a = Math.abs(x);
  const lo = Math.floor(a * p) / p;
  const hi = Math.ceil(a * p) / p;
  const dLo = a - lo;
  const dHi = hi - a;
  const r = dLo < dHi ? lo : dLo > dHi ? hi : Math.floor(a * p) % 2 === 0 ? lo : hi;
  return x < 0 ? -r : r;
}

/** R's format.pval(pv, digits, eps): "<2e-16" below eps, each group in its own layout. */
export function formatPValueR(pv: readonly number[], digits: number, eps = 2.220446049250313e-16): string[] {
  const out = new Array<string>(pv.length).fill('');
  const small = pv.map((p) => p < eps);
  const rest = pv.map((p, i) => ({ p, i })).filter((_, i) => !small[i]);
  if (rest.length > 0) {
    const expo = rest.map(({ p }) => Math.floor(Math.log10(p > 0 ? p : 1e-50)));
    const fix = rest.filter((_, k) => expo[k]! >= -3 || (expo[k] === -4 && digits > 1));
    const sci = rest.filter((_, k) => !(expo[k]! >= -3 || (expo[k] === -4 && digits > 1)));
    for (const group of [fix, sci]) {
      if (group.length === 0) continue;
      const texts = formatR(
        group.map((g) => g.p),
        digits,
      );
      group.forEach((g, k) => (out[g.i] = texts[k]!));
    }
  }
  if (small.some(Boolean)) {
    let d = Math.max(1, digits - 2);
    let sep: string;
    if (rest.length > 0) {
      const nc = Math.max(...rest.map(({ i }) => out[i]!.length));
      if (d > 1 && d + 6 > nc) d = Math.max(1, nc - 7);
      sep = d === 1 && nc <= 6 ? '' : ' ';
    } else {
      sep = d === 1 ? '' : ' ';
    }
    const text = `<${sep}${formatRNumber(eps, d)}`;
    small.forEach((s, i) => {
      if (s) out[i] = text;
    });
  }
  return out;
}

/**
 * printCoefmat's coefficient-scale columns (estimates and standard errors,
 * or a pair of confidence limits): rounded to the decimals the smallest
 * non-zero magnitude needs for `digits` significant digits and formatted
 * together as one vector; a non-zero value that would print as zero gets
 * one digit fewer on its own, as R does.  Unpadded strings, one array per column.
 */
export function coefScaleColumns(columns: readonly (readonly number[])[], digits = 4): string[][] {
  const magnitudes = columns.flat().filter((v) => Number.isFinite(v) && v !== 0).map((v) => Math.abs(v));
  const digmin = magnitudes.length > 0 ? 1 + Math.floor(Math.log10(Math.min(...magnitudes))) : 1;
  const decimals = Math.max(1, digits - digmin);
  const n = columns[0]?.length ?? 0;
  const block = formatR(
    columns.flatMap((col) => col.map((v) => roundR(v, decimals))),
    digits,
  ).map((s) => s.trim());
  return columns.map((col, c) =>
    col.map((v, i) => {
      const text = block[c * n + i]!;
      if (v !== 0 && Number.isFinite(v) && Number(text) === 0) return formatRNumber(v, Math.max(1, digits - 1)).trim();
      return text;
    }),
  );
}

/** A coefficient table's numbers, as printCoefmat receives them. */
export interface CoefficientTable {
  readonly estimate: readonly number[];
  readonly stdError: readonly number[];
  /** lmerTest's df column: a coefficient-scale column for printCoefmat (it sits before the statistic). */
  readonly df?: readonly number[];
  readonly statistic: readonly number[];
  readonly pValues?: readonly number[];
}

/**
 * The cells of R's printCoefmat: the columns before the statistic
 * (estimates, standard errors, and lmerTest's df) by coefScaleColumns, the
 * statistic rounded to `digits - 1` decimals, p-values by format.pval.
 * Unpadded strings.
 */
export function coefficientColumns(
  table: CoefficientTable,
  digits = 4,
): { estimate: string[]; stdError: string[]; df: string[] | null; statistic: string[]; pValues: string[] | null } {
  const digTst = Math.max(1, Math.min(5, digits - 1));
  const cs = coefScaleColumns([table.estimate, table.stdError, ...(table.df ? [table.df] : [])], digits);
  const st = formatR(
    table.statistic.map((t) => roundR(t, digTst)),
    digits,
  ).map((s) => s.trim());
  return {
    estimate: cs[0]!,
    stdError: cs[1]!,
    df: table.df ? cs[2]! : null,
    statistic: st,
    pValues: table.pValues ? formatPValueR(table.pValues, digTst).map((s) => s.trim()) : null,
  };
}
