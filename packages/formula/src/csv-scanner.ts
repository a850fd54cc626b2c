import { categoricalColumn } from './categorical-column.js';
import { parseNumericText } from './cell.js';
import type { ColumnData } from './data-table.js';

/**
 * A one-pass reader for the CSV files people actually feed a model: comma
 * separated, LF or CRLF line ends, fields plain or wholly quoted without
 * embedded quotes or line breaks. Numeric fields are parsed straight into
 * Float64Arrays; text columns become categorical columns (one string per
 * distinct value and a code per row). The
 * result is the one the general (csv-parse) path gives; anything this reader
 * is not sure to read the same way makes it give up (undefined), and the
 * caller then uses the general path.
 */
export interface ScannedCsv {
  readonly header: readonly string[];
  readonly nrows: number;
  readonly columns: readonly ColumnData[];
}

const COMMA = 44;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const UPPER_E = 69;
const LOWER_E = 101;

/** What follows a field. */
const NEXT_FIELD = 0;
const END_OF_RECORD = 1;
/** Not a shape this reader handles: use the general parser. */
const GIVE_UP = -1;
/** Not a plain number: read the field as text instead. */
const NOT_SIMPLE = -2;

/** 10^k, exact for k <= 22 (Number() of the literal is correctly rounded, and these are representable). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * V8 keeps a substring of 13 or more characters as a view into its parent,
 * which would keep the whole file text alive as long as the table; a cons
 * string that is sliced is flattened into a fresh copy first.
 */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

class TextColumn {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(readonly codes: Int32Array) {}

  add(row: number, text: string): void {
    let k = this.index.get(text);
    if (k === undefined) {
      k = this.values.length;
      this.index.set(text, k);
      this.values.push(detach(text));
    }
    this.codes[row] = k;
  }

  /** The column of the first `nrows` rows, levels in order of first appearance. */
  column(nrows: number): ColumnData {
    return categoricalColumn(nrows === this.codes.length ? this.codes : this.codes.slice(0, nrows), this.values);
  }
}

class Scanner {
  pos = 0;
  /** Text of the last field read by readField. */
  field = '';
  /** Value of the last field read by readNumber. */
  number = 0;

  constructor(
    private readonly s: string,
    private readonly end: number,
    private readonly crlf: boolean,
  ) {}

  /** What the character at `at` ends: a field, a record, or neither (GIVE_UP); moves past it. */
  private terminate(at: number): number {
    const s = this.s;
    if (at >= this.end) {
      this.pos = at;
      return END_OF_RECORD;
    }
    const c = s.charCodeAt(at);
    if (c === COMMA) {
      this.pos = at + 1;
      return NEXT_FIELD;
    }
    if (this.crlf) {
      if (c === CR && s.charCodeAt(at + 1) === LF) {
        this.pos = at + 2;
        return END_OF_RECORD;
      }
      return GIVE_UP;
    }
    if (c === LF) {
      this.pos = at + 1;
      return END_OF_RECORD;
    }
    return GIVE_UP;
  }

  /** True (and moves past it) when the record starting here is an empty line, which csv-parse skips. */
  skipEmptyLine(): boolean {
    const c = this.s.charCodeAt(this.pos);
    if (c === LF && !this.crlf) {
      this.pos++;
      return true;
    }
    if (c === CR && this.crlf && this.s.charCodeAt(this.pos + 1) === LF) {
      this.pos += 2;
      return true;
    }
    return false;
  }

  /** Reads one field as text into `field`. */
  readField(): number {
    const s = this.s;
    const start = this.pos;
    if (s.charCodeAt(start) === QUOTE) {
      const close = s.indexOf('"', start + 1);
      // No closing quote, or an escaped quote ("") inside: the general parser's business.
      if (close < 0 || s.charCodeAt(close + 1) === QUOTE) return GIVE_UP;
      for (let i = start + 1; i < close; i++) {
        const c = s.charCodeAt(i);
        if (c === LF || c === CR) return GIVE_UP;
      }
      this.field = s.slice(start + 1, close);
      return this.terminate(close + 1);
    }
    let i = start;
    for (; i < this.end; i++) {
      const c = s.charCodeAt(i);
      if (c === COMMA || c === LF || c === CR) break;
      // A quote inside a field is an error (or a relaxed reading) in csv-parse.
      if (c === QUOTE) return GIVE_UP;
    }
    this.field = s.slice(start, i);
    return this.terminate(i);
  }

  /**
   * Reads a field that is a plain decimal number (optionally quoted) into
   * `number`. It accepts exactly what parseNumericText's pattern accepts
   * and computes Number()'s value: with at most 15 significant digits and
   * a decimal exponent within +-22, digits / 10^k (or digits * 10^k) is one
   * correctly rounded operation on exact operands; other numbers go
   * through Number() itself. NOT_SIMPLE, without moving, for anything else.
   */
  readNumber(): number {
    const s = this.s;
    const quoted = s.charCodeAt(this.pos) === QUOTE;
    const from = quoted ? this.pos + 1 : this.pos;
    let i = from;
    let c = s.charCodeAt(i);
    let negative = false;
    if (c === MINUS) {
      negative = true;
      c = s.charCodeAt(++i);
    } else if (c === PLUS) {
      c = s.charCodeAt(++i);
    }
    let mantissa = 0;
    let significant = 0;
    let exponent = 0;
    let digits = 0;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      if (mantissa !== 0 || c !== DIGIT_0) {
        mantissa = mantissa * 10 + (c - DIGIT_0);
        significant++;
      }
      digits++;
      c = s.charCodeAt(++i);
    }
    if (c === DOT) {
      c = s.charCodeAt(++i);
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        if (mantissa !== 0 || c !== DIGIT_0) {
          mantissa = mantissa * 10 + (c - DIGIT_0);
          significant++;
        }
        exponent--;
        digits++;
        c = s.charCodeAt(++i);
      }
    }
    if (digits === 0) return NOT_SIMPLE;
    if (c === LOWER_E || c === UPPER_E) {
      c = s.charCodeAt(++i);
      let negativeExponent = false;
      if (c === MINUS) {
        negativeExponent = true;
        c = s.charCodeAt(++i);
      } else if (c === PLUS) {
        c = s.charCodeAt(++i);
      }
      let e = 0;
      let exponentDigits = 0;
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        if (e < 1e6) e = e * 10 + (c - DIGIT_0);
        exponentDigits++;
        c = s.charCodeAt(++i);
      }
      if (exponentDigits === 0) return NOT_SIMPLE;
      exponent += negativeExponent ? -e : e;
    }
    const fieldEnd = i;
    let next: number;
    if (c === COMMA && !quoted) {
      // The common case, without a call.
      this.pos = i + 1;
      next = NEXT_FIELD;
    } else {
      if (quoted) {
        if (c !== QUOTE || s.charCodeAt(i + 1) === QUOTE) return NOT_SIMPLE;
        i++;
      }
      next = this.terminate(i);
      if (next === GIVE_UP) return NOT_SIMPLE;
    }
    let v: number;
    if (mantissa === 0) v = 0;
    else if (significant <= 15 && exponent >= -22 && exponent <= 22) {
      v = exponent < 0 ? mantissa / (POWERS_OF_TEN[-exponent] as number) : mantissa * (POWERS_OF_TEN[exponent] as number);
    } else {
      this.number = Number(s.slice(from, fieldEnd));
      return next;
    }
    this.number = negative ? -v : v;
    return next;
  }
}

/** Where a column stands while the rows are read: numeric until a text cell turns up. */
interface ColumnState {
  numbers: Float64Array | undefined;
  text: TextColumn | undefined;
}

/**
 * Column j turned out to be text at `row`: its earlier cells were read as
 * numbers, so read them again as text, in row order so that the dictionary
 * lists values in order of first appearance.
 */
function textColumnFrom(sc: Scanner, rowStart: Int32Array, row: number, j: number, capacity: number): TextColumn {
  const tc = new TextColumn(new Int32Array(capacity));
  const resume = sc.pos;
  for (let r = 0; r < row; r++) {
    sc.pos = rowStart[r] as number;
    for (let k = 0; k < j; k++) sc.readField();
    sc.readField();
    tc.add(r, sc.field);
  }
  sc.pos = resume;
  return tc;
}

/** Re-reading earlier rows may cost at most this many passes over the fields before the general parser is cheaper. */
const REREAD_LIMIT = 2;

function countLineFeeds(s: string, from: number): number {
  let count = 0;
  for (let i = s.indexOf('\n', from); i >= 0; i = s.indexOf('\n', i + 1)) count++;
  return count;
}

/** Reads `text` as the general path would, or undefined when it has to be left to the general path. */
export function scanCsv(text: string): ScannedCsv | undefined {
  // csv-parse works on the UTF-8 bytes, which turns lone surrogates into U+FFFD.
  if (!(text as { isWellFormed?: () => boolean }).isWellFormed?.()) return undefined;
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.length;
  // csv-parse takes the first line end it meets as the record delimiter for the whole text;
  // the scanner requires all line ends to be the same kind.
  const crlf = text.indexOf('\r', start) >= 0;
  const sc = new Scanner(text, end, crlf);
  sc.pos = start;
  while (sc.pos < end && sc.skipEmptyLine());
  if (sc.pos >= end) return undefined;
  const header: string[] = [];
  for (;;) {
    const next = sc.readField();
    if (next === GIVE_UP) return undefined;
    header.push(detach(sc.field));
    if (next === END_OF_RECORD) break;
  }
  const ncols = header.length;
  // Each record but a last unterminated one ends with a line feed.
  const capacity = countLineFeeds(text, sc.pos) + (text.charCodeAt(end - 1) === LF ? 0 : 1);
  const rowStart = new Int32Array(capacity);
  const states: ColumnState[] = header.map(() => ({ numbers: new Float64Array(capacity), text: undefined }));
  let row = 0;
  let reread = 0;
  while (sc.pos < end) {
    if (sc.skipEmptyLine()) continue;
    rowStart[row] = sc.pos;
    for (let j = 0; j < ncols; j++) {
      const st = states[j] as ColumnState;
      let next: number;
      if (st.numbers !== undefined) {
        next = sc.readNumber();
        if (next === NOT_SIMPLE) {
          next = sc.readField();
          if (next === GIVE_UP) return undefined;
          const v = parseNumericText(sc.field);
          if (v === undefined) {
            const first = sc.field;
            reread += row * (j + 1);
            if (reread > REREAD_LIMIT * capacity * ncols) return undefined;
            st.numbers = undefined;
            st.text = textColumnFrom(sc, rowStart, row, j, capacity);
            st.text.add(row, first);
          } else st.numbers[row] = v;
        } else st.numbers[row] = sc.number;
      } else {
        next = sc.readField();
        if (next === GIVE_UP) return undefined;
        (st.text as TextColumn).add(row, sc.field);
      }
      // A record with another number of fields is an error in csv-parse.
      if (next !== (j === ncols - 1 ? END_OF_RECORD : NEXT_FIELD)) return undefined;
    }
    row++;
  }
  const nrows = row;
  const columns = states.map((st): ColumnData => {
    if (st.numbers !== undefined) return nrows === capacity ? st.numbers : st.numbers.slice(0, nrows);
    return (st.text as TextColumn).column(nrows);
  });
  return { header, nrows, columns };
}
