/**
 * How one data cell reads, following R's read.csv / type.convert conventions:
 * "NA", "NaN" and empty text are missing, "Inf" is a (non-finite) number.
 */
import type { CellValue } from './data-table.js';

export const CELL_OK = 0;
export const CELL_MISSING = 1;
export const CELL_NON_NUMERIC = 2;
export const CELL_NON_FINITE = 3;
export type CellStatus = 0 | 1 | 2 | 3;

const NUMBER_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Cheap test that avoids allocating a trimmed copy of every cell. */
function hasOuterSpace(s: string): boolean {
  return s.length > 0 && (s.charCodeAt(0) <= 32 || s.charCodeAt(s.length - 1) <= 32);
}

/** True for the cells R reads as NA: null, undefined, NaN, "", "NA", "NaN". */
export function isMissingCell(cell: CellValue): boolean {
  if (cell === null || cell === undefined) return true;
  if (typeof cell === 'number') return Number.isNaN(cell);
  if (typeof cell === 'string') {
    const t = hasOuterSpace(cell) ? cell.trim() : cell;
    return t === '' || t === 'NA' || t === 'NaN';
  }
  return false;
}

/**
 * The number a string spells, or undefined when it is not numeric text.
 * Missing text ("", "NA", "NaN") gives NaN; "Inf"/"Infinity" give infinities.
 */
export function parseNumericText(text: string): number | undefined {
  const t = hasOuterSpace(text) ? text.trim() : text;
  if (t === '' || t === 'NA' || t === 'NaN') return Number.NaN;
  if (NUMBER_PATTERN.test(t)) return Number(t);
  switch (t) {
    case 'Inf':
    case '+Inf':
    case 'Infinity':
    case '+Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** Numeric value of a cell: NaN when missing or not numeric (see cellStatus for which). */
export function cellNumber(cell: CellValue): number {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'string') return parseNumericText(cell) ?? Number.NaN;
  return Number.NaN;
}

/** Whether a cell is usable as a number, and if not, why. */
export function cellStatus(cell: CellValue): CellStatus {
  if (cell === null || cell === undefined) return CELL_MISSING;
  let v: number | undefined;
  if (typeof cell === 'number') v = cell;
  else if (typeof cell === 'string') v = parseNumericText(cell);
  else return CELL_NON_NUMERIC;
  if (v === undefined) return CELL_NON_NUMERIC;
  if (Number.isNaN(v)) return CELL_MISSING;
  return Number.isFinite(v) ? CELL_OK : CELL_NON_FINITE;
}

export function numberStatus(v: number): CellStatus {
  if (Number.isNaN(v)) return CELL_MISSING;
  return Number.isFinite(v) ? CELL_OK : CELL_NON_FINITE;
}

/**
 * A number as R's as.character prints it: up to 15 significant digits, and
 * scientific notation only where it is shorter than fixed notation.
 */
export function formatRNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return 'Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  if (v === 0) return '0';
  if (Number.isInteger(v) && v > -1e15 && v < 1e15) return formatRInteger(v);
  const sci = v.toExponential(14);
  const [mantissaRaw, expRaw] = sci.split('e') as [string, string];
  const mantissa = mantissaRaw.includes('.') ? mantissaRaw.replace(/0+$/, '').replace(/\.$/, '') : mantissaRaw;
  const exp = Number(expRaw);
  const sciText = `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  const fixedText = toFixedText(Number(`${mantissa}e${exp}`));
  return fixedText.length <= sciText.length ? fixedText : sciText;
}

/**
 * formatRNumber for a non-zero integer of at most 15 digits, without the
 * round trip through toExponential (level names of integer group ids):
 * such an integer prints exactly, and the scientific form is its
 * significant digits with one point and a two-digit exponent.
 */
function formatRInteger(v: number): string {
  const fixed = String(v);
  const sign = v < 0 ? 1 : 0;
  const digits = fixed.length - sign;
  let zeros = 0;
  while (fixed.charCodeAt(fixed.length - 1 - zeros) === 48) zeros++;
  const significant = digits - zeros;
  const sciLength = sign + significant + (significant > 1 ? 1 : 0) + 4;
  if (fixed.length <= sciLength) return fixed;
  const lead = fixed.slice(0, sign + 1);
  const rest = fixed.slice(sign + 1, sign + significant);
  return `${lead}${rest === '' ? '' : `.${rest}`}e+${String(digits - 1).padStart(2, '0')}`;
}

function toFixedText(v: number): string {
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // Expand JavaScript's own exponent form into plain digits.
  const [m, e] = s.toLowerCase().split('e') as [string, string];
  const exp = Number(e);
  const neg = m.startsWith('-');
  const digits = (neg ? m.slice(1) : m).replace('.', '');
  const pointAt = (neg ? m.slice(1) : m).indexOf('.');
  const intLen = (pointAt < 0 ? digits.length : pointAt) + exp;
  let out: string;
  if (intLen <= 0) out = `0.${'0'.repeat(-intLen)}${digits}`;
  else if (intLen >= digits.length) out = digits + '0'.repeat(intLen - digits.length);
  else out = `${digits.slice(0, intLen)}.${digits.slice(intLen)}`;
  return neg ? `-${out}` : out;
}

/** Level text of a categorical cell (missing cells are handled before this). */
export function cellLevelText(cell: CellValue): string {
  if (typeof cell === 'number') return formatRNumber(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  return String(cell);
}
