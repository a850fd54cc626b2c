import { ByteDictionary, decodeBytes, HASH_SEED } from './byte-dictionary.js';
import { categoricalColumn } from './categorical-column.js';
import { parseNumericText } from './cell.js';
import type { ColumnData } from './data-table.js';

/**
 * The one-pass reader of delimited text, over the file's bytes: numeric
 * fields are parsed straight from the bytes into Float64Arrays, text fields
 * are hashed in place into a dictionary per column (a string is made once per
 * distinct value), and no string is made per cell. It reads fields plain or
 * quoted (with "" escapes and line breaks inside quotes), LF or CRLF line
 * ends, any one-byte delimiter. The result is the one the general
 * (csv-parse) path gives; anything this reader is not sure to read the same
 * way (a quote inside an unquoted field, mixed line ends, a record with
 * another number of fields) makes it give up (undefined), and the caller
 * then uses the general path, which also words the error.
 */
export interface ScannedCsv {
  readonly header: readonly string[];
  readonly nrows: number;
  readonly columns: readonly ColumnData[];
}

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
const UPPER_N = 78;
const UPPER_A = 65;

/** What follows a field. */
const NEXT_FIELD = 0;
const END_OF_RECORD = 1;
/** Not a shape this reader handles: use the general parser. */
const GIVE_UP = -1;
/** Not a plain number: read the field as text instead. */
const NOT_SIMPLE = -2;

/** 10^k, exact for k <= 22 (Number() of the literal is correctly rounded, and these are representable). */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Digits accumulate exactly (m * 10 + d) while the mantissa stays below
 * 2^53, and since it only grows (and rounding is monotone), a final value
 * below 2^53 means every step was exact: mantissa / 10^k (k <= 22) or mantissa * 10^k is then one
 * correctly rounded operation on exact operands, which is Number()'s value.
 */
const MAX_EXACT = 2 ** 53;

class Scanner {
  pos = 0;
  /** Value of the last field read by readNumber. */
  number = 0;
  /** The last field read by readField: its content is src[start .. end) with FNV-1a hash `hash`. */
  src: Uint8Array;
  start = 0;
  end = 0;
  hash = 0;
  /** Unescaped content of quoted fields with "" inside. */
  private scratch = new Uint8Array(256);

  constructor(
    readonly b: Uint8Array,
    /** The bytes end with a line end at limit - 1, so no scan runs past the data. */
    readonly limit: number,
    readonly delimiter: number,
    readonly crlf: boolean,
  ) {
    this.src = b;
  }

  /** What the byte at `at` ends: a field, a record, or neither (GIVE_UP); moves past it. */
  terminate(at: number): number {
    const c = this.b[at] as number;
    if (c === this.delimiter) {
      this.pos = at + 1;
      return NEXT_FIELD;
    }
    if (this.crlf) {
      if (c === CR && this.b[at + 1] === LF) {
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
    const c = this.b[this.pos];
    if (c === LF && !this.crlf) {
      this.pos++;
      return true;
    }
    if (c === CR && this.crlf && this.b[this.pos + 1] === LF) {
      this.pos += 2;
      return true;
    }
    return false;
  }

  /** Reads one field's bytes (unquoted, unescaped) and their hash. */
  readField(): number {
    const b = this.b;
    const delimiter = this.delimiter;
    let i = this.pos;
    let h = HASH_SEED;
    if (b[i] === QUOTE) return this.readQuoted();
    for (;;) {
      const c = b[i] as number;
      if (c === delimiter || c === LF || c === CR) break;
      // A quote inside a field is an error (or a relaxed reading) in csv-parse.
      if (c === QUOTE) return GIVE_UP;
      h = Math.imul(h ^ c, 0x01000193);
      i++;
    }
    this.src = b;
    this.start = this.pos;
    this.end = i;
    this.hash = h;
    return this.terminate(i);
  }

  private readQuoted(): number {
    const b = this.b;
    const from = this.pos + 1;
    let i = from;
    let h = HASH_SEED;
    for (;;) {
      if (i >= this.limit) return GIVE_UP;
      const c = b[i] as number;
      if (c === QUOTE) {
        if (b[i + 1] === QUOTE) return this.readEscaped(from);
        break;
      }
      if (c === CR) {
        // Inside quotes a CR must still be the first half of this file's line end.
        if (!this.crlf || b[i + 1] !== LF) return GIVE_UP;
      } else if (c === LF && this.crlf && b[i - 1] !== CR) return GIVE_UP;
      h = Math.imul(h ^ c, 0x01000193);
      i++;
    }
    this.src = b;
    this.start = from;
    this.end = i;
    this.hash = h;
    return this.terminate(i + 1);
  }

  /** A quoted field with "" escapes: its content is copied, unescaped, into the scratch buffer. */
  private readEscaped(from: number): number {
    const b = this.b;
    let out = 0;
    let h = HASH_SEED;
    let i = from;
    for (;;) {
      if (i >= this.limit) return GIVE_UP;
      let c = b[i] as number;
      if (c === QUOTE) {
        if (b[i + 1] !== QUOTE) break;
        i++;
      } else if (c === CR) {
        if (!this.crlf || b[i + 1] !== LF) return GIVE_UP;
      } else if (c === LF && this.crlf && b[i - 1] !== CR) return GIVE_UP;
      c = b[i] as number;
      if (out === this.scratch.length) {
        const bigger = new Uint8Array(out * 2);
        bigger.set(this.scratch);
        this.scratch = bigger;
      }
      this.scratch[out++] = c;
      h = Math.imul(h ^ c, 0x01000193);
      i++;
    }
    this.src = this.scratch;
    this.start = 0;
    this.end = out;
    this.hash = h;
    return this.terminate(i + 1);
  }

  /** The last field read by readField, as text. */
  fieldText(): string {
    return decodeBytes(this.src, this.start, this.end);
  }

  /**
   * Reads a field that is a plain decimal number (optionally quoted) into
   * `number`. It accepts exactly what parseNumericText's pattern accepts
   * and computes Number()'s value (see MAX_EXACT; other numbers go through
   * Number() itself). An empty field and NA are missing (NaN).
   * NOT_SIMPLE, without moving, for anything else.
   */
  readNumber(): number {
    const b = this.b;
    const delimiter = this.delimiter;
    const quoted = b[this.pos] === QUOTE;
    const from = quoted ? this.pos + 1 : this.pos;
    let i = from;
    let c = b[i] as number;
    let negative = false;
    if (c === MINUS) {
      negative = true;
      c = b[++i] as number;
    } else if (c === PLUS) {
      c = b[++i] as number;
    }
    let mantissa = 0;
    let exponent = 0;
    let digits = 0;
    while (c >= DIGIT_0 && c <= DIGIT_9) {
      mantissa = mantissa * 10 + (c - DIGIT_0);
      digits++;
      c = b[++i] as number;
    }
    if (c === DOT) {
      c = b[++i] as number;
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        mantissa = mantissa * 10 + (c - DIGIT_0);
        exponent--;
        digits++;
        c = b[++i] as number;
      }
    }
    if (digits === 0) return i === from && !negative ? this.missing(from, quoted) : NOT_SIMPLE;
    if (c === LOWER_E || c === UPPER_E) {
      c = b[++i] as number;
      let negativeExponent = false;
      if (c === MINUS) {
        negativeExponent = true;
        c = b[++i] as number;
      } else if (c === PLUS) {
        c = b[++i] as number;
      }
      let e = 0;
      let exponentDigits = 0;
      while (c >= DIGIT_0 && c <= DIGIT_9) {
        if (e < 1e6) e = e * 10 + (c - DIGIT_0);
        exponentDigits++;
        c = b[++i] as number;
      }
      if (exponentDigits === 0) return NOT_SIMPLE;
      exponent += negativeExponent ? -e : e;
    }
    const fieldEnd = i;
    let next: number;
    if (c === delimiter && !quoted) {
      // The common case, without a call.
      this.pos = i + 1;
      next = NEXT_FIELD;
    } else {
      if (quoted) {
        if (c !== QUOTE || b[i + 1] === QUOTE) return NOT_SIMPLE;
        i++;
      }
      next = this.terminate(i);
      if (next === GIVE_UP) return NOT_SIMPLE;
    }
    let v: number;
    if (mantissa === 0) v = 0;
    else if (mantissa < MAX_EXACT && exponent >= -22 && exponent <= 22) {
      v = exponent < 0 ? mantissa / (POWERS_OF_TEN[-exponent] as number) : mantissa * (POWERS_OF_TEN[exponent] as number);
    } else {
      this.number = Number(decodeBytes(b, from, fieldEnd));
      return next;
    }
    this.number = negative ? -v : v;
    return next;
  }

  /** An empty field, "" or NA where a number was expected: missing. */
  private missing(from: number, quoted: boolean): number {
    const b = this.b;
    let i = from;
    if (b[i] === UPPER_N && b[i + 1] === UPPER_A) i += 2;
    if (quoted) {
      if (b[i] !== QUOTE || b[i + 1] === QUOTE) return NOT_SIMPLE;
      i++;
    }
    const next = this.terminate(i);
    if (next === GIVE_UP) return NOT_SIMPLE;
    this.number = Number.NaN;
    return next;
  }
}

/** Re-reading earlier rows may cost at most this many passes over the data before the general parser is cheaper. */
const REREAD_LIMIT = 2;

/**
 * A column that was numeric until `row` and is text from there: its earlier
 * cells are read again as text, in row order, so that the dictionary lists
 * values in order of first appearance.
 */
function rereadAsText(sc: Scanner, dataStart: number, rows: number, j: number, ncols: number, codes: Int32Array, dict: ByteDictionary): boolean {
  const resume = sc.pos;
  sc.pos = dataStart;
  for (let r = 0; r < rows; r++) {
    while (sc.skipEmptyLine());
    for (let k = 0; k < ncols; k++) {
      if (sc.readField() === GIVE_UP) return false;
      if (k === j) codes[r] = dict.code(sc.src, sc.start, sc.end, sc.hash);
    }
  }
  sc.pos = resume;
  return true;
}

const NUMERIC = 0;
const TEXT = 1;

/** Where the columns stand while rows are read. */
class Columns {
  readonly kinds: Uint8Array;
  readonly numbers: Float64Array[] = [];
  readonly codes: Int32Array[] = [];
  readonly dicts: ByteDictionary[] = [];

  constructor(
    readonly ncols: number,
    public capacity: number,
  ) {
    this.kinds = new Uint8Array(ncols);
    for (let j = 0; j < ncols; j++) {
      this.numbers.push(new Float64Array(capacity));
      this.codes.push(NO_CODES);
      this.dicts.push(new ByteDictionary());
    }
  }

  grow(): void {
    const capacity = Math.ceil(this.capacity * 1.5) + 16;
    for (let j = 0; j < this.ncols; j++) {
      if (this.kinds[j] === NUMERIC) this.numbers[j] = growFloat(this.numbers[j] as Float64Array, capacity);
      else this.codes[j] = growInt(this.codes[j] as Int32Array, capacity);
    }
    this.capacity = capacity;
  }

  result(nrows: number): ColumnData[] {
    const out: ColumnData[] = [];
    for (let j = 0; j < this.ncols; j++) {
      if (this.kinds[j] === NUMERIC) out.push(fit(this.numbers[j] as Float64Array, nrows));
      else out.push(textColumn(fit(this.codes[j] as Int32Array, nrows), this.dicts[j] as ByteDictionary));
    }
    return out;
  }
}

const NO_NUMBERS = new Float64Array(0);
const NO_CODES = new Int32Array(0);

/**
 * A numeric field the inline path did not take (quoted, empty, NA, spaces,
 * text): read by the scanner, as a number if it is one, else the column
 * turns to text. The new position, or -1 to give up.
 */
function slowNumericField(sc: Scanner, cols: Columns, j: number, row: number, dataStart: number, expected: number): number {
  let next = sc.readNumber();
  if (next === NOT_SIMPLE) {
    next = sc.readField();
    if (next === GIVE_UP) return -1;
    const v = parseNumericText(sc.fieldText());
    if (v === undefined) {
      const dict = cols.dicts[j] as ByteDictionary;
      const fieldStart = sc.start;
      const fieldEnd = sc.end;
      const hash = sc.hash;
      // The field may live in the scratch buffer, which the re-read overwrites.
      const field = sc.src === sc.b ? sc.b : sc.src.slice(fieldStart, fieldEnd);
      const from = field === sc.b ? fieldStart : 0;
      const to = field === sc.b ? fieldEnd : field.length;
      const c = new Int32Array(cols.capacity);
      if (!rereadAsText(sc, dataStart, row, j, cols.ncols, c, dict)) return -1;
      c[row] = dict.code(field, from, to, hash);
      cols.kinds[j] = TEXT;
      cols.numbers[j] = NO_NUMBERS;
      cols.codes[j] = c;
    } else (cols.numbers[j] as Float64Array)[row] = v;
  } else (cols.numbers[j] as Float64Array)[row] = sc.number;
  // A record with another number of fields is an error in csv-parse.
  return next === expected ? sc.pos : -1;
}

/** A text field the inline path did not take (quoted): the new position, or -1 to give up. */
function slowTextField(sc: Scanner, cols: Columns, j: number, row: number, expected: number): number {
  const next = sc.readField();
  if (next !== expected) return -1;
  (cols.codes[j] as Int32Array)[row] = (cols.dicts[j] as ByteDictionary).code(sc.src, sc.start, sc.end, sc.hash);
  return sc.pos;
}

/** Rows scanned per call of scanRows. */
const ROWS_PER_CALL = 2048;

/** Where a scan stands between blocks of rows. */
class ScanState {
  pos: number;
  row = 0;
  reread = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly limit: number,
    readonly delimiter: number,
    readonly crlf: boolean,
    readonly sc: Scanner,
    readonly cols: Columns,
    readonly dataStart: number,
  ) {
    this.pos = dataStart;
  }
}

/** Reads up to `maxRows` records: NEXT_FIELD when there is more, END_OF_RECORD at the end, GIVE_UP for the general parser. */
function scanRows(st: ScanState, maxRows: number): number {
  const { bytes, limit, delimiter, crlf, sc, cols, dataStart } = st;
  const { kinds, numbers, codes, dicts, ncols } = cols;
  const last = ncols - 1;
  // The end of a record is one byte (LF) or two (CR LF).
  const eol = crlf ? CR : LF;
  const eolLength = crlf ? 2 : 1;
  let row = st.row;
  let pos = st.pos;
  const stop = row + maxRows;
  while (pos < limit && row < stop) {
    const first = bytes[pos] as number;
    if (first === LF || first === CR) {
      sc.pos = pos;
      if (!sc.skipEmptyLine()) return GIVE_UP;
      pos = sc.pos;
      continue;
    }
    if (row === cols.capacity) cols.grow();
    for (let j = 0; j < ncols; j++) {
      const expected = j === last ? END_OF_RECORD : NEXT_FIELD;
      let i = pos;
      let c = bytes[i] as number;
      if (kinds[j] === NUMERIC) {
        // The plain unquoted number, inline; everything else is the scanner's.
        let negative = false;
        if (c === MINUS) {
          negative = true;
          c = bytes[++i] as number;
        }
        let mantissa = 0;
        let exponent = 0;
        const digitsFrom = i;
        while (c >= DIGIT_0 && c <= DIGIT_9) {
          mantissa = mantissa * 10 + (c - DIGIT_0);
          c = bytes[++i] as number;
        }
        let digits = i - digitsFrom;
        if (c === DOT) {
          const fractionFrom = ++i;
          c = bytes[i] as number;
          while (c >= DIGIT_0 && c <= DIGIT_9) {
            mantissa = mantissa * 10 + (c - DIGIT_0);
            c = bytes[++i] as number;
          }
          exponent = fractionFrom - i;
          digits += i - fractionFrom;
        }
        let after = -1;
        if (digits > 0 && mantissa < MAX_EXACT && exponent >= -22) {
          if (j !== last) {
            if (c === delimiter) after = i + 1;
          } else if (c === eol && (eolLength === 1 || bytes[i + 1] === LF)) after = i + eolLength;
        }
        if (after >= 0) {
          const v = exponent < 0 ? mantissa / (POWERS_OF_TEN[-exponent] as number) : mantissa;
          (numbers[j] as Float64Array)[row] = negative ? -v : v;
          pos = after;
        } else {
          const before = kinds[j];
          sc.pos = pos;
          pos = slowNumericField(sc, cols, j, row, dataStart, expected);
          if (pos < 0) return GIVE_UP;
          if (kinds[j] !== before) {
            st.reread += pos - dataStart;
            if (st.reread > REREAD_LIMIT * (limit - dataStart)) return GIVE_UP;
          }
        }
      } else if (c !== QUOTE) {
        let h = HASH_SEED;
        while (c !== delimiter && c !== LF && c !== CR && c !== QUOTE) {
          h = Math.imul(h ^ c, 0x01000193);
          c = bytes[++i] as number;
        }
        if (j !== last ? c !== delimiter : c !== eol || (eolLength === 2 && bytes[i + 1] !== LF)) return GIVE_UP;
        (codes[j] as Int32Array)[row] = (dicts[j] as ByteDictionary).code(bytes, pos, i, h);
        pos = i + (j === last ? eolLength : 1);
      } else {
        sc.pos = pos;
        pos = slowTextField(sc, cols, j, row, expected);
        if (pos < 0) return GIVE_UP;
      }
    }
    row++;
  }
  st.row = row;
  st.pos = pos;
  return pos < limit ? NEXT_FIELD : END_OF_RECORD;
}

/**
 * Reads `bytes[start .. limit)` (header first) as the general path would, or
 * undefined when it has to be left to the general path. The bytes must end
 * with a line end (LF, or CRLF when `crlf`) at limit - 1; `crlf` says whether
 * the data holds any CR at all.
 */
export function scanCsvBytes(input: Uint8Array, start: number, limit: number, delimiter: number, crlf: boolean): ScannedCsv | undefined {
  primeOnce();
  // A Buffer is a Uint8Array of another class: viewing it as a plain one keeps every byte load monomorphic.
  const bytes = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return scan(bytes, start, limit, delimiter, crlf);
}

function scan(bytes: Uint8Array, start: number, limit: number, delimiter: number, crlf: boolean): ScannedCsv | undefined {
  const sc = new Scanner(bytes, limit, delimiter, crlf);
  sc.pos = start;
  while (sc.pos < limit && sc.skipEmptyLine());
  if (sc.pos >= limit) return undefined;
  const header: string[] = [];
  for (;;) {
    const next = sc.readField();
    if (next === GIVE_UP) return undefined;
    header.push(sc.fieldText());
    if (next === END_OF_RECORD) break;
  }
  const ncols = header.length;
  const dataStart = sc.pos;
  // Room for the rows the first record's length suggests; grown when it is short.
  let firstEnd = bytes.indexOf(LF, dataStart);
  if (firstEnd < 0) firstEnd = limit;
  const cols = new Columns(ncols, Math.ceil(((limit - dataStart) / Math.max(1, firstEnd + 1 - dataStart)) * 1.1) + 16);
  const state = new ScanState(bytes, limit, delimiter, crlf, sc, cols, dataStart);
  // Rows go in blocks through one function: it is compiled by the ordinary
  // tiering after a few calls (on-stack replacement of a single long loop
  // took longer to reach optimised code), and a rare path met late costs one
  // block, not the rest of the file.
  for (;;) {
    const status = scanRows(state, ROWS_PER_CALL);
    if (status === GIVE_UP) return undefined;
    if (status === END_OF_RECORD) break;
  }
  const row = state.row;
  return { header, nrows: row, columns: cols.result(row) };
}

function textColumn(codes: Int32Array, dict: ByteDictionary): ColumnData {
  const merged = dict.distinctLevels();
  if (merged === undefined) return categoricalColumn(codes, dict.levels);
  for (let i = 0; i < codes.length; i++) codes[i] = merged.remap[codes[i] as number] as number;
  return categoricalColumn(codes, merged.levels);
}

function growFloat(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

function growInt(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}

/** The first n entries: a view when little room is left over, else a copy (so a short file does not keep a large buffer). */
function fit<T extends Float64Array | Int32Array>(a: T, n: number): T {
  if (a.length === n) return a;
  return (8 * (a.length - n) <= a.length ? a.subarray(0, n) : a.slice(0, n)) as T;
}

let primed = false;

/**
 * Runs the scanner once over a small sample that takes every common path:
 * numbers of each shape, a text column whose values repeat (dictionary hits)
 * and a first row long enough that the columns must grow. A large file's
 * scan is compiled while it runs; a path it meets only after that (the first
 * repeated group label comes after 10,000 rows in some files, growth near
 * the end) would otherwise throw the compiled code away and start again.
 */
function primeOnce(): void {
  if (primed) return;
  primed = true;
  const rows = ['y,x,g,w', '-12345.678901,0.000001,first-label-of-some-length,1'];
  for (let i = 0; i < 60; i++) rows.push(`${i % 7}.${i},-${i},g${i % 3},${i}`);
  const bytes = new TextEncoder().encode(`${rows.join('\n')}\n`);
  for (let k = 0; k < 2; k++) scan(bytes, 0, bytes.length, 44, false);
}
