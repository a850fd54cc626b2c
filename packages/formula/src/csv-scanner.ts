import { GlmmInputError } from '@glmm/core';
import { ByteDictionary, decodeBytes, HASH_SEED } from './byte-dictionary.js';
import { categoricalColumn } from './categorical-column.js';
import { parseNumericText } from './cell.js';
import type { ColumnData } from './data-table.js';

/**
 * The reader of delimited text, over the file's bytes in one pass: numeric
 * fields are parsed straight from the bytes into Float64Arrays, text fields
 * are hashed in place into a dictionary per column (a string is made once per
 * distinct value), and no string is made per cell. Fields are plain or
 * quoted (with "" escapes and line breaks inside quotes), records end at LF,
 * CRLF or CR, empty lines are skipped, and the delimiter is any one byte.
 * What csv-parse reads the same way (its tests are the reference) it reads
 * the same; what csv-parse refuses it refuses with a line naming the place.
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
/** Malformed here: the scanner's `problem` says how. */
const MALFORMED = -1;
/** Not a plain number: read the field as text instead. */
const NOT_SIMPLE = -2;

/** 10^k, exact for k <= 22 (Number() of the literal is correctly rounded, and these are representable). */
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * Digits accumulate exactly (m * 10 + d) while the mantissa stays below
 * 2^53, and since it only grows (and rounding is monotone), a final value
 * below 2^53 means every step was exact: mantissa / 10^k (k <= 22) or
 * mantissa * 10^k is then one correctly rounded operation on exact
 * operands, which is Number()'s value.
 */
const MAX_EXACT = 2 ** 53;

type Problem = 'quote-in-field' | 'text-after-quote' | 'unclosed-quote';

class Scanner {
  pos = 0;
  /** Value of the last field read by readNumber. */
  number = 0;
  /** The last field read by readField: its content is src[start .. end) with FNV-1a hash `hash`. */
  src: Uint8Array;
  start = 0;
  end = 0;
  hash = 0;
  /** What was wrong, and where, when a read returned MALFORMED. */
  problem: Problem = 'quote-in-field';
  problemAt = 0;
  /** Unescaped content of quoted fields with "" inside. */
  private scratch = new Uint8Array(256);

  constructor(
    readonly b: Uint8Array,
    /** The bytes end with a line end at limit - 1, so no unquoted scan runs past the data. */
    readonly limit: number,
    readonly delimiter: number,
  ) {
    this.src = b;
  }

  private fail(problem: Problem, at: number): number {
    this.problem = problem;
    this.problemAt = at;
    return MALFORMED;
  }

  /** What the byte at `at` ends: a field or a record (moving past it), or neither. */
  terminate(at: number): number {
    const c = this.b[at] as number;
    if (c === this.delimiter) {
      this.pos = at + 1;
      return NEXT_FIELD;
    }
    if (c === LF) {
      this.pos = at + 1;
      return END_OF_RECORD;
    }
    if (c === CR) {
      this.pos = this.b[at + 1] === LF ? at + 2 : at + 1;
      return END_OF_RECORD;
    }
    return this.fail('text-after-quote', at);
  }

  /** True (and moves past it) when the record starting here is an empty line, which is skipped. */
  skipEmptyLine(): boolean {
    const c = this.b[this.pos];
    if (c === LF) {
      this.pos++;
      return true;
    }
    if (c === CR) {
      this.pos += this.b[this.pos + 1] === LF ? 2 : 1;
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
      if (c === QUOTE) return this.fail('quote-in-field', i);
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
      if (i >= this.limit) return this.fail('unclosed-quote', from - 1);
      const c = b[i] as number;
      if (c === QUOTE) {
        if (b[i + 1] === QUOTE) return this.readEscaped(from);
        break;
      }
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
      if (i >= this.limit) return this.fail('unclosed-quote', from - 1);
      if (b[i] === QUOTE) {
        if (b[i + 1] !== QUOTE) break;
        i++;
      }
      const c = b[i] as number;
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

  /** Moves past the rest of the record; the number of fields it held from here. */
  skipRecord(): number {
    let fields = 0;
    for (;;) {
      const next = this.readField();
      fields++;
      if (next !== NEXT_FIELD) return next === MALFORMED ? -1 : fields;
    }
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
    if (quoted) {
      if (c !== QUOTE || b[i + 1] === QUOTE) return NOT_SIMPLE;
      i++;
    }
    const c2 = b[i] as number;
    if (c2 !== this.delimiter && c2 !== LF && c2 !== CR) return NOT_SIMPLE;
    const next = this.terminate(i);
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
    const c = b[i] as number;
    if (c !== this.delimiter && c !== LF && c !== CR) return NOT_SIMPLE;
    this.number = Number.NaN;
    return this.terminate(i);
  }
}

const NUMERIC = 0;
const TEXT = 1;

/** Where the columns stand while rows are read. */
class Columns {
  readonly kinds: Uint8Array;
  readonly numbers: Float64Array[] = [];
  readonly codes: Int32Array[] = [];
  readonly dicts: ByteDictionary[] = [];
  /** For a column that turned to text: the first row read as text (earlier rows are read again at the end). */
  readonly textFrom: Int32Array;

  constructor(
    readonly ncols: number,
    public capacity: number,
  ) {
    this.kinds = new Uint8Array(ncols);
    this.textFrom = new Int32Array(ncols);
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

  /** Column j is text from `row` on: the cells before are read again once the scan is done. */
  toText(j: number, row: number): void {
    this.kinds[j] = TEXT;
    this.textFrom[j] = row;
    this.numbers[j] = NO_NUMBERS;
    this.codes[j] = new Int32Array(this.capacity);
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
 * turns to text from this row. What followed the field, or MALFORMED.
 */
function slowNumericField(sc: Scanner, cols: Columns, j: number, row: number): number {
  let next = sc.readNumber();
  if (next !== NOT_SIMPLE) {
    (cols.numbers[j] as Float64Array)[row] = sc.number;
    return next;
  }
  next = sc.readField();
  if (next === MALFORMED) return next;
  const v = parseNumericText(sc.fieldText());
  if (v !== undefined) {
    (cols.numbers[j] as Float64Array)[row] = v;
    return next;
  }
  cols.toText(j, row);
  (cols.codes[j] as Int32Array)[row] = (cols.dicts[j] as ByteDictionary).code(sc.src, sc.start, sc.end, sc.hash);
  return next;
}

/** A text field the inline path did not take (quoted): what followed it, or MALFORMED. */
function slowTextField(sc: Scanner, cols: Columns, j: number, row: number): number {
  const next = sc.readField();
  if (next === MALFORMED) return next;
  (cols.codes[j] as Int32Array)[row] = (cols.dicts[j] as ByteDictionary).code(sc.src, sc.start, sc.end, sc.hash);
  return next;
}

/** Rows scanned per call of scanRows. */
const ROWS_PER_CALL = 2048;

/** Where a scan stands between blocks of rows; `badField` and `badNext` locate a malformed record. */
class ScanState {
  pos: number;
  row = 0;
  recordStart = 0;
  badField = 0;
  badNext = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly limit: number,
    readonly delimiter: number,
    readonly sc: Scanner,
    readonly cols: Columns,
    dataStart: number,
  ) {
    this.pos = dataStart;
  }
}

/**
 * Reads up to `maxRows` records: NEXT_FIELD when there is more,
 * END_OF_RECORD at the end, MALFORMED with the place in the state. The plain
 * unquoted number and text field are read inline; anything else goes
 * through the scanner.
 */
function scanRows(st: ScanState, maxRows: number): number {
  const { bytes, limit, delimiter, sc, cols } = st;
  const { kinds, numbers, codes, dicts, ncols } = cols;
  const last = ncols - 1;
  let row = st.row;
  let pos = st.pos;
  const stop = row + maxRows;
  while (pos < limit && row < stop) {
    const first = bytes[pos] as number;
    if (first === LF || first === CR) {
      pos += first === CR && bytes[pos + 1] === LF ? 2 : 1;
      continue;
    }
    if (row === cols.capacity) cols.grow();
    st.recordStart = pos;
    for (let j = 0; j < ncols; j++) {
      let i = pos;
      let c = bytes[i] as number;
      let next: number;
      if (kinds[j] === NUMERIC) {
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
        if (digits > 0 && mantissa < MAX_EXACT && exponent >= -22 && (c === delimiter || c === LF || c === CR)) {
          const v = exponent < 0 ? mantissa / (POWERS_OF_TEN[-exponent] as number) : mantissa;
          (numbers[j] as Float64Array)[row] = negative ? -v : v;
          if (c === delimiter) {
            pos = i + 1;
            next = NEXT_FIELD;
          } else {
            pos = c === CR && bytes[i + 1] === LF ? i + 2 : i + 1;
            next = END_OF_RECORD;
          }
        } else {
          sc.pos = pos;
          next = slowNumericField(sc, cols, j, row);
          pos = sc.pos;
        }
      } else if (c !== QUOTE) {
        let h = HASH_SEED;
        while (c !== delimiter && c !== LF && c !== CR && c !== QUOTE) {
          h = Math.imul(h ^ c, 0x01000193);
          c = bytes[++i] as number;
        }
        if (c === QUOTE) {
          sc.pos = pos;
          next = sc.readField();
        } else {
          (codes[j] as Int32Array)[row] = (dicts[j] as ByteDictionary).code(bytes, pos, i, h);
          if (c === delimiter) {
            pos = i + 1;
            next = NEXT_FIELD;
          } else {
            pos = c === CR && bytes[i + 1] === LF ? i + 2 : i + 1;
            next = END_OF_RECORD;
          }
        }
      } else {
        sc.pos = pos;
        next = slowTextField(sc, cols, j, row);
        pos = sc.pos;
      }
      if (next !== (j === last ? END_OF_RECORD : NEXT_FIELD)) {
        st.badField = j;
        st.badNext = next;
        st.pos = pos;
        st.row = row;
        return MALFORMED;
      }
    }
    row++;
  }
  st.row = row;
  st.pos = pos;
  return pos < limit ? NEXT_FIELD : END_OF_RECORD;
}

/**
 * The columns that turned to text part-way: their earlier cells, read again
 * in one more pass, come first in the dictionary, so that levels are listed
 * in order of first appearance whatever row the first text cell was in.
 */
function finishTextColumns(sc: Scanner, cols: Columns, dataStart: number): void {
  let rows = 0;
  for (let j = 0; j < cols.ncols; j++) if (cols.kinds[j] === TEXT) rows = Math.max(rows, cols.textFrom[j] as number);
  if (rows === 0) return;
  const fresh = cols.dicts.map(() => new ByteDictionary());
  const codes = cols.codes;
  sc.pos = dataStart;
  for (let r = 0; r < rows; r++) {
    while (sc.skipEmptyLine());
    for (let j = 0; j < cols.ncols; j++) {
      sc.readField();
      if (cols.kinds[j] === TEXT && r < (cols.textFrom[j] as number)) {
        (codes[j] as Int32Array)[r] = (fresh[j] as ByteDictionary).code(sc.src, sc.start, sc.end, sc.hash);
      }
    }
  }
  for (let j = 0; j < cols.ncols; j++) {
    const from = cols.textFrom[j] as number;
    if (cols.kinds[j] !== TEXT || from === 0) continue;
    const before = fresh[j] as ByteDictionary;
    const remap = before.absorb(cols.dicts[j] as ByteDictionary);
    const c = codes[j] as Int32Array;
    for (let r = from; r < c.length; r++) c[r] = remap[c[r] as number] as number;
    cols.dicts[j] = before;
  }
}

/** Line number (1-based) of byte `at`: line ends before it counted as LF, CRLF or CR. */
function lineOf(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) {
    const c = bytes[i];
    if (c === LF || (c === CR && bytes[i + 1] !== LF)) line++;
  }
  return line;
}

function malformed(where: string): GlmmInputError {
  return new GlmmInputError(`CSV could not be parsed: ${where}`);
}

/** The error for a field the scanner found malformed (field is 1-based). */
function fieldProblem(bytes: Uint8Array, sc: Scanner, field: number): GlmmInputError {
  const line = lineOf(bytes, sc.problemAt);
  switch (sc.problem) {
    case 'quote-in-field':
      return malformed(`line ${line}, field ${field}: a quote inside an unquoted field; quote the whole field and double the quotes inside it ("a ""b"" c")`);
    case 'text-after-quote':
      return malformed(`line ${line}, field ${field}: text after the closing quote`);
    case 'unclosed-quote':
      return malformed(`the quote that opens field ${field} on line ${line} is never closed`);
  }
}

/** The error for a record the scan stopped on: a malformed field, or another number of fields than the header's. */
function recordProblem(st: ScanState, ncols: number): GlmmInputError {
  const { bytes, sc } = st;
  const field = st.badField + 1;
  if (st.badNext === MALFORMED) return fieldProblem(bytes, sc, field);
  const line = lineOf(bytes, st.recordStart);
  // Fewer fields than the header: the record ended early; more: count what is left of it.
  let fields = field;
  if (st.badNext === NEXT_FIELD) {
    sc.pos = st.pos;
    const rest = sc.skipRecord();
    if (rest < 0) return fieldProblem(bytes, sc, field + 1);
    fields = field + rest;
  }
  return malformed(`line ${line} has ${fields} field${fields === 1 ? '' : 's'} but the header has ${ncols}`);
}

/**
 * Reads `bytes[start .. limit)`, header first. The bytes must end with a line
 * end (LF or CR) at limit - 1. Undefined when there is no header (nothing
 * but empty lines); GlmmInputError when the text is malformed.
 */
export function scanCsvBytes(input: Uint8Array, start: number, limit: number, delimiter: number): ScannedCsv | undefined {
  primeOnce();
  // A Buffer is a Uint8Array of another class: viewing it as a plain one keeps every byte load monomorphic.
  const bytes = input.constructor === Uint8Array ? input : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  return scan(bytes, start, limit, delimiter);
}

function scan(bytes: Uint8Array, start: number, limit: number, delimiter: number): ScannedCsv | undefined {
  const sc = new Scanner(bytes, limit, delimiter);
  sc.pos = start;
  while (sc.pos < limit && sc.skipEmptyLine());
  if (sc.pos >= limit) return undefined;
  const header: string[] = [];
  for (;;) {
    const next = sc.readField();
    if (next === MALFORMED) throw fieldProblem(bytes, sc, header.length + 1);
    header.push(sc.fieldText());
    if (next === END_OF_RECORD) break;
  }
  const ncols = header.length;
  const dataStart = sc.pos;
  // Room for the rows the first record's length suggests; grown when it is short.
  let firstEnd = bytes.indexOf(LF, dataStart);
  if (firstEnd < 0) firstEnd = limit;
  const cols = new Columns(ncols, Math.ceil(((limit - dataStart) / Math.max(1, firstEnd + 1 - dataStart)) * 1.1) + 16);
  const state = new ScanState(bytes, limit, delimiter, sc, cols, dataStart);
  // Rows go in blocks through one function: it is compiled by the ordinary
  // tiering after a few calls (on-stack replacement of a single long loop
  // took longer to reach optimised code), and a rare path met late costs one
  // block, not the rest of the file.
  for (;;) {
    const status = scanRows(state, ROWS_PER_CALL);
    if (status === MALFORMED) throw recordProblem(state, ncols);
    if (status === END_OF_RECORD) break;
  }
  finishTextColumns(sc, cols, dataStart);
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
  for (let k = 0; k < 2; k++) scan(bytes, 0, bytes.length, 44);
}
