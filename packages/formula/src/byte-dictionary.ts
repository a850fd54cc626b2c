/**
 * Distinct byte strings and a code for each, in order of first appearance:
 * what a text column of a CSV file is read into. A row costs one hash (taken
 * by the scanner while it walks the field), one probe and a byte comparison;
 * a JavaScript string is made once per distinct value, never per row.
 */

/** FNV-1a's offset basis: the hash of the empty string. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** One FNV-1a step (the scanner inlines the same expression). */
export function hashStep(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}

// ignoreBOM keeps a U+FEFF inside a value, as csv-parse does (only the file's leading BOM is dropped, by the reader).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if ((bytes[i] as number) >= 0x80) return false;
  return true;
}

/** Bytes as a string: ASCII directly, anything else through UTF-8 decoding (invalid bytes become U+FFFD). */
export function decodeBytes(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 256 && isAscii(bytes, start, end)) {
    return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(start, end));
}

export class ByteDictionary {
  /** Open addressing: code + 1, 0 for an empty slot. */
  private slots: Int32Array = new Int32Array(64);
  private hashes: Int32Array = new Int32Array(16);
  /** Key k's bytes are arena[keyStart[k] .. keyStart[k + 1]). */
  private keyStart: Int32Array = new Int32Array(17);
  private arena: Uint8Array = new Uint8Array(256);
  /** Distinct values decoded, in order of first appearance. */
  readonly levels: string[] = [];
  /** Whether some key is not plain ASCII (its text may then coincide with another key's; see distinctLevels). */
  private nonAscii = false;

  get size(): number {
    return this.levels.length;
  }

  /** The code of bytes[start .. end), whose hash (FNV-1a from HASH_SEED) is `hash`; a new code when unseen. */
  code(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const len = end - start;
    let s = (hash ^ (hash >>> 15)) & mask;
    for (;;) {
      const v = slots[s] as number;
      if (v === 0) break;
      const k = v - 1;
      if (this.hashes[k] === hash) {
        const from = this.keyStart[k] as number;
        if ((this.keyStart[k + 1] as number) - from === len && this.sameBytes(from, bytes, start, len)) return k;
      }
      s = (s + 1) & mask;
    }
    return this.insert(s, bytes, start, end, hash);
  }

  private sameBytes(from: number, bytes: Uint8Array, start: number, len: number): boolean {
    const arena = this.arena;
    for (let i = 0; i < len; i++) if (arena[from + i] !== bytes[start + i]) return false;
    return true;
  }

  private insert(slot: number, bytes: Uint8Array, start: number, end: number, hash: number): number {
    const k = this.levels.length;
    if (k + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, this.hashes.length * 2);
      this.keyStart = grow(this.keyStart, this.keyStart.length * 2);
    }
    const from = this.keyStart[k] as number;
    const len = end - start;
    if (from + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, from + len));
      bigger.set(this.arena.subarray(0, from));
      this.arena = bigger;
    }
    this.arena.set(bytes.subarray(start, end), from);
    this.keyStart[k + 1] = from + len;
    this.hashes[k] = hash;
    this.slots[slot] = k + 1;
    if (!isAscii(bytes, start, end)) this.nonAscii = true;
    this.levels.push(decodeBytes(bytes, start, end));
    // Keep the table at most half full.
    if (2 * (k + 1) > this.slots.length) this.rehash(this.slots.length * 2);
    return k;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < this.levels.length; k++) {
      const h = this.hashes[k] as number;
      let s = (h ^ (h >>> 15)) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }

  /**
   * Adds another dictionary's keys after this one's, in the other's order;
   * the code each of its codes now has here.
   */
  absorb(other: ByteDictionary): Int32Array {
    const remap = new Int32Array(other.levels.length);
    for (let k = 0; k < other.levels.length; k++) {
      const from = other.keyStart[k] as number;
      remap[k] = this.code(other.arena, from, other.keyStart[k + 1] as number, other.hashes[k] as number);
    }
    return remap;
  }

  /**
   * The levels, and for each code the code of its text among distinct texts:
   * different invalid UTF-8 sequences all decode to U+FFFD, so two keys can
   * read as the same text. Undefined when every key's text is its own (always
   * so for ASCII), which is the case worth making cheap.
   */
  distinctLevels(): { levels: string[]; remap: Int32Array } | undefined {
    if (!this.nonAscii) return undefined;
    const index = new Map<string, number>();
    const levels: string[] = [];
    const remap = new Int32Array(this.levels.length);
    let merged = false;
    this.levels.forEach((text, k) => {
      let c = index.get(text);
      if (c === undefined) {
        c = levels.length;
        index.set(text, c);
        levels.push(text);
      } else merged = true;
      remap[k] = c;
    });
    return merged ? { levels, remap } : undefined;
  }
}

function grow(a: Int32Array, size: number): Int32Array {
  const b = new Int32Array(size);
  b.set(a);
  return b;
}
