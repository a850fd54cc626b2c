import { describe, expect, it } from 'vitest';
import { buildModel, withSharedDesignStorage } from '../src/index.js';

const data = { y: [1, 2, 3, 4, 5, 6], x: [0.5, 1, 3, 2, 5, 4], g: ['a', 'a', 'b', 'b', 'c', 'c'] };

describe('shared design storage', () => {
  it('writes X into the same memory on successive calls, with the same values as a fresh array', () => {
    const fresh = Array.from(buildModel('y ~ x + (1 | g)', data).X);
    const first = withSharedDesignStorage((designStorage) => buildModel('y ~ x + (1 | g)', data, { designStorage }).X);
    // Stale contents of the shared memory must not leak into the next design.
    first.fill(Number.NaN);
    const second = withSharedDesignStorage((designStorage) => buildModel('y ~ x + (1 | g)', data, { designStorage }).X);
    expect(second.buffer).toBe(first.buffer);
    expect(Array.from(second)).toEqual(fresh);
    // A smaller design reuses the front of the memory.
    const small = withSharedDesignStorage((designStorage) => buildModel('y ~ 0 + x + (1 | g)', data, { designStorage }).X);
    expect(small.buffer).toBe(first.buffer);
    expect(Array.from(small)).toEqual([0.5, 1, 3, 2, 5, 4]);
  });

  it('gives a second design in the same call, or a nested call, memory of its own', () => {
    withSharedDesignStorage((outer) => {
      const a = buildModel('y ~ x + (1 | g)', data, { designStorage: outer }).X;
      const b = buildModel('y ~ x + (1 | g)', data, { designStorage: outer }).X;
      expect(b.buffer).not.toBe(a.buffer);
      const c = withSharedDesignStorage((inner) => buildModel('y ~ x + (1 | g)', data, { designStorage: inner }).X);
      expect(c.buffer).not.toBe(a.buffer);
      expect(Array.from(c)).toEqual(Array.from(a));
    });
  });

  it('is given back when the call throws', () => {
    expect(() =>
      withSharedDesignStorage((designStorage) => {
        buildModel('y ~ x + (1 | g)', data, { designStorage });
        throw new Error('fit failed');
      }),
    ).toThrow('fit failed');
    const x = withSharedDesignStorage((designStorage) => buildModel('y ~ x + (1 | g)', data, { designStorage }).X);
    const y = withSharedDesignStorage((designStorage) => buildModel('y ~ x + (1 | g)', data, { designStorage }).X);
    expect(y.buffer).toBe(x.buffer);
  });

  it('must have the length asked for', () => {
    expect(() => buildModel('y ~ x + (1 | g)', data, { designStorage: () => new Float64Array(3) })).toThrow(
      'design storage has 3 elements, 12 were asked for',
    );
  });
});
