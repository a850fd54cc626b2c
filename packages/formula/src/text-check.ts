/**
 * Why some bytes are not delimited text, in a few words, or undefined when
 * they look like text. Reading a binary file as CSV would give one huge
 * header of garbage and an error line as long; this check looks at the start
 * only, so it costs nothing on a large file.
 */

const SAMPLE_BYTES = 1 << 16;

/** Formats people feed a CSV reader by mistake, by their first bytes. */
const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x50, 0x41, 0x52, 0x31], what: 'a Parquet file' },
  { bytes: [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31], what: 'an Arrow IPC file' },
  { bytes: [0xff, 0xff, 0xff, 0xff], what: 'an Arrow IPC stream' },
  { bytes: [0x1f, 0x8b], what: 'gzip-compressed data (decompress it first)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'zstd-compressed data (decompress it first)' },
  { bytes: [0x42, 0x5a, 0x68], what: 'bzip2-compressed data (decompress it first)' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'xz-compressed data (decompress it first)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx workbook is one: save the sheet as CSV)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel or Office file (save the sheet as CSV)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65], what: 'an SQLite database' },
  { bytes: [0x52, 0x44, 0x58], what: 'an R data file (.rds/.RData: write.csv it from R)' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable' },
];

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  if (bytes.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (bytes[i] !== sig[i]) return false;
  return true;
}

/** The format a file's first bytes announce (Parquet, Arrow, an archive, ...), or undefined. */
export function knownBinaryFormat(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => startsWith(bytes, s.bytes))?.what;
}

export function nonTextReason(bytes: Uint8Array): string | undefined {
  const known = knownBinaryFormat(bytes);
  if (known !== undefined) return `it is ${known}`;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return 'it is UTF-16 text (save it as UTF-8)';
  const end = Math.min(bytes.length, SAMPLE_BYTES);
  let control = 0;
  for (let i = 0; i < end; i++) {
    const c = bytes[i] as number;
    if (c === 0) return `it holds binary data (a NUL byte at byte ${i + 1})`;
    // Tab, line feed, vertical tab, form feed and carriage return are text.
    if ((c < 32 && (c < 9 || c > 13)) || c === 127) control++;
  }
  if (control > 0 && control * 100 > end) return `it holds binary data (${control} control bytes in the first ${end})`;
  return undefined;
}
