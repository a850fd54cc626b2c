import { GlmmInputError } from '@glmm/core';

/** Delimiters tried, in order of preference when several fit equally well. */
const CANDIDATES = [',', '\t', ';', '|'] as const;

/** How much of the file the guess looks at. */
const SAMPLE_BYTES = 1 << 16;
const SAMPLE_LINES = 100;

const NAMES: Readonly<Record<string, string>> = {
  comma: ',',
  tab: '\t',
  '\\t': '\t',
  semicolon: ';',
  pipe: '|',
  space: ' ',
};

/**
 * A delimiter as a user gives it: one ASCII character, or a name (comma,
 * tab, semicolon, pipe, space) or `\t`. Quotes and line ends cannot be
 * delimiters.
 */
export function delimiterFromOption(raw: string): string {
  const named = NAMES[raw.toLowerCase()];
  const d = named ?? raw;
  if (d.length !== 1 || d.charCodeAt(0) > 127 || d === '"' || d === '\n' || d === '\r') {
    throw new GlmmInputError(
      `delimiter must be one ASCII character other than a quote or line end, or one of ${Object.keys(NAMES).join(', ')} (got "${raw.slice(0, 20)}")`,
    );
  }
  return d;
}

/** Counts of each candidate outside quotes on one line; the line runs from `from` to the next line end outside quotes. */
function countLine(bytes: Uint8Array, from: number, end: number, counts: Int32Array): number {
  counts.fill(0);
  let quoted = false;
  let i = from;
  for (; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 34) quoted = !quoted;
    else if (!quoted) {
      if (c === 10) return i + 1;
      for (let k = 0; k < CANDIDATES.length; k++) if (c === CANDIDATES[k]!.charCodeAt(0)) counts[k]!++;
    }
  }
  return i;
}

/**
 * Guesses the delimiter from the first lines, as data.table's fread does in
 * spirit: the candidate that splits the header and every sampled line into
 * the same number (> 1) of fields (the most fields if several do; comma, then
 * tab, semicolon and pipe on a tie); failing that, the one that splits the header most; a comma when
 * nothing splits it (a one-column file).
 */
export function detectDelimiter(bytes: Uint8Array, start = 0): string {
  const end = Math.min(bytes.length, start + SAMPLE_BYTES);
  const counts = new Int32Array(CANDIDATES.length);
  const perLine: Int32Array[] = [];
  let pos = start;
  while (pos < end && perLine.length < SAMPLE_LINES) {
    const next = countLine(bytes, pos, end, counts);
    // A line cut off by the sample's end says nothing; an empty line neither.
    const complete = next < end || end === bytes.length;
    const blank = next - pos <= 2 && (bytes[pos] === 10 || bytes[pos] === 13);
    if (complete && !blank) perLine.push(counts.slice());
    pos = next;
  }
  const header = perLine[0];
  if (header === undefined) return ',';
  let consistent = -1;
  let most = -1;
  for (let k = 0; k < CANDIDATES.length; k++) {
    const h = header[k]!;
    if (h === 0) continue;
    if ((consistent < 0 || h > header[consistent]!) && perLine.every((line) => line[k] === h)) consistent = k;
    if (most < 0 || h > header[most]!) most = k;
  }
  const k = consistent >= 0 ? consistent : most;
  return k >= 0 ? CANDIDATES[k]! : ',';
}
