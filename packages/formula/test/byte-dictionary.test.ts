import { describe, expect, it } from 'vitest';
import { ByteDictionary, HASH_SEED, hashStep } from '../src/byte-dictionary.js';
import { rng } from './rng.js';

function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashStep(h, bytes[i] as number);
  return h;
}

describe('ByteDictionary', () => {
  it('codes byte strings of every length in order of first appearance, as a Map of their texts does', () => {
    const next = rng(31);
    const alphabet = 'ab0123456789-_xyz';
    // Short and long keys, keys sharing their first 16 bytes, the empty key.
    const keys = Array.from({ length: 3000 }, (_, k) => {
      const len = k % 7 === 0 ? 16 + Math.floor(next() * 30) : Math.floor(next() * 20);
      const body = Array.from({ length: len }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      return k % 11 === 0 ? `shared-prefix-16${body}` : body;
    });
    const dict = new ByteDictionary();
    const reference = new Map<string, number>();
    const encoder = new TextEncoder();
    // One buffer holding every cell, as a file would.
    const cells = Array.from({ length: 40_000 }, () => keys[Math.floor(next() ** 2 * keys.length)] as string);
    const bytes = encoder.encode(cells.join(','));
    let at = 0;
    for (const cell of cells) {
      const end = at + cell.length;
      const code = dict.code(bytes, at, end, hashOf(bytes, at, end));
      if (!reference.has(cell)) reference.set(cell, reference.size);
      expect(code).toBe(reference.get(cell));
      at = end + 1;
    }
    expect(dict.levels).toEqual([...reference.keys()]);
  });

  it('tells apart keys whose hashes collide', () => {
    const dict = new ByteDictionary();
    const a = new TextEncoder().encode('first-key-longer-than-sixteen');
    const b = new TextEncoder().encode('other');
    // The same (forced) hash for different keys: only the bytes can decide.
    expect(dict.code(a, 0, a.length, 42)).toBe(0);
    expect(dict.code(b, 0, b.length, 42)).toBe(1);
    expect(dict.code(a, 0, a.length, 42)).toBe(0);
    expect(dict.code(a, 0, 16, 42)).toBe(2);
    expect(dict.levels).toEqual(['first-key-longer-than-sixteen', 'other', 'first-key-longer']);
  });

  it('absorbs another dictionary after its own keys', () => {
    const enc = new TextEncoder();
    const put = (d: ByteDictionary, s: string) => {
      const b = enc.encode(s);
      return d.code(b, 0, b.length, hashOf(b, 0, b.length));
    };
    const first = new ByteDictionary();
    put(first, 'b');
    put(first, 'a');
    const later = new ByteDictionary();
    put(later, 'c');
    put(later, 'a');
    put(later, 'a-very-long-level-name-indeed');
    expect(Array.from(first.absorb(later))).toEqual([2, 1, 3]);
    expect(first.levels).toEqual(['b', 'a', 'c', 'a-very-long-level-name-indeed']);
  });
});
