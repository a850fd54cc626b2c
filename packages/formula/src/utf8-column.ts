import { ByteDictionary, HASH_SEED } from './byte-dictionary.js';
import type { CategoricalColumn } from './categorical-column.js';
import { categoricalColumn } from './categorical-column.js';

/**
 * Rows of text stored as UTF-8 bytes with offsets (Arrow's Utf8 layout):
 * row i is bytes[offsets[i] .. offsets[i + 1]). Rows for which `isNull(i)`
 * holds are missing.
 */
export interface Utf8Chunk {
  readonly bytes: Uint8Array;
  readonly offsets: ArrayLike<number>;
  readonly length: number;
  readonly isNull?: (row: number) => boolean;
}

/**
 * Text chunks, one after another, as one categorical column, without a
 * string per row: the bytes are hashed in place and a string is made once
 * per distinct value. Missing rows read "NA" (which R reads as missing).
 */
export function categoricalFromUtf8(chunks: readonly Utf8Chunk[]): CategoricalColumn {
  const dict = new ByteDictionary();
  let total = 0;
  for (const c of chunks) total += c.length;
  const codes = new Int32Array(total);
  const na = new TextEncoder().encode('NA');
  let naCode = -1;
  let row = 0;
  for (const { bytes, offsets, length, isNull } of chunks) {
    for (let i = 0; i < length; i++, row++) {
      if (isNull !== undefined && isNull(i)) {
        if (naCode < 0) naCode = dict.code(na, 0, 2, hash(na, 0, 2));
        codes[row] = naCode;
        continue;
      }
      const start = offsets[i] as number;
      const end = offsets[i + 1] as number;
      codes[row] = dict.code(bytes, start, end, hash(bytes, start, end));
    }
  }
  const merged = dict.distinctLevels();
  if (merged === undefined) return categoricalColumn(codes, dict.levels);
  for (let i = 0; i < total; i++) codes[i] = merged.remap[codes[i] as number] as number;
  return categoricalColumn(codes, merged.levels);
}

function hash(bytes: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193);
  return h;
}
