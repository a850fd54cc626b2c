import { qnorm } from './normal.js';

/**
 * A source of uniform and standard normal variates.  Families draw new
 * responses through it (Family.simulate), so any generator with these two
 * methods can stand in.
 */
export interface RandomSource {
  /** Uniform on the open interval (0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}

/** 2^-53. */
const TWO_POW_M53 = 1 / 9007199254740992;

/**
 * The platform's random generator: xoshiro128** (Blackman and Vigna 2018;
 * 128-bit state, period 2^128 - 1) seeded by SplitMix32 from an integer
 * seed.  It uses only 32-bit integer arithmetic (Math.imul, shifts), so a
 * seed gives the same stream on every machine and JavaScript engine.
 * A uniform takes two outputs (53 bits, shifted half a step off 0 so it
 * never returns 0 or 1); a normal is the inverse normal CDF of one
 * uniform (qnorm, Wichura's AS241), which keeps one uniform per normal
 * and needs no cached second value.  The normals, which call Math.log and
 * Math.sqrt, are identical wherever those are correctly rounded or
 * computed by fdlibm's algorithms (V8, hence Node and Chrome, on every
 * platform); the integer stream is identical everywhere.
 */
export class Xoshiro128 implements RandomSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** `seed`: a safe integer (negative seeds are taken modulo 2^53). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    const s = seed < 0 ? seed + 9007199254740992 : seed;
    const lo = s % 4294967296;
    const hi = Math.floor(s / 4294967296);
    let state = lo | 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = (next() ^ hi) >>> 0;
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    // SplitMix32 never gives four zeros from one state, but keep the invariant explicit.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator in a given state (four 32-bit words, not all zero): for checks against the reference implementation. */
  static fromState(s0: number, s1: number, s2: number, s3: number): Xoshiro128 {
    const g = new Xoshiro128(0);
    g.s0 = s0 >>> 0;
    g.s1 = s1 >>> 0;
    g.s2 = s2 >>> 0;
    g.s3 = s3 >>> 0;
    return g;
  }

  /** The next 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  uniform(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b + 0.5) * TWO_POW_M53;
  }

  normal(): number {
    return qnorm(this.uniform());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
