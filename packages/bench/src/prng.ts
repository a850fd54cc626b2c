/**
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32: a small, fast,
 * well-tested generator whose streams are identical on every platform, so the
 * synthetic CSVs are byte-for-byte reproducible from their seed.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second Box-Muller deviate, kept so each pair of uniforms yields two normals. */
  private spareNormal: number | null = null;

  /** Seeds the four state words from splitmix32(seed), or uses `state` verbatim when given. */
  constructor(seed: number, state?: readonly [number, number, number, number]) {
    if (state) {
      [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    } else {
      const sm = splitmix32(seed >>> 0);
      this.s0 = sm();
      this.s1 = sm();
      this.s2 = sm();
      this.s3 = sm();
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) throw new Error('xoshiro128** state must not be all zero');
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal by the Box-Muller transform. */
  nextNormal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    const u1 = 1 - this.nextDouble(); // (0, 1]: log stays finite
    const u2 = this.nextDouble();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Poisson deviate by sequential inversion: O(lambda) per draw, which is fine
   * for the means exp(eta) of the benchmark (well under 100).
   */
  nextPoisson(lambda: number): number {
    if (!(lambda >= 0) || lambda > 700) throw new Error(`Poisson mean ${lambda} is outside [0, 700]`);
    const u = this.nextDouble();
    let k = 0;
    let p = Math.exp(-lambda);
    let cdf = p;
    while (u >= cdf && p > 0) {
      k++;
      p *= lambda / k;
      cdf += p;
    }
    return k;
  }
}

/**
 * Gamma deviate with shape `k` and scale 1 by Marsaglia & Tsang (2000): a
 * squeezed rejection from a transformed normal, for k >= 1; smaller shapes
 * use the boost k -> k + 1 times U^(1/k).
 */
export function gammaDeviate(rng: Xoshiro128, k: number): number {
  if (!(k > 0)) throw new Error(`gamma shape ${k} must be positive`);
  if (k < 1) return gammaDeviate(rng, k + 1) * Math.pow(1 - rng.nextDouble(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.nextNormal();
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = 1 - rng.nextDouble();
    if (u < 1 - 0.0331 * z ** 4 || Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * The standard normal CDF, for drawing probit responses: W. J. Cody's
 * rational approximations of erfc (relative error below 1e-15 over the
 * range), which is far below what a generator of test data needs.
 */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  let erfc: number;
  if (z < 0.5) {
    const t = z * z;
    const num = ((((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947);
    const den = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    erfc = 1 - (z * num) / den;
  } else if (z < 4) {
    const num =
      (((((((2.15311535474403846e-8 * z + 0.564188496988670089) * z + 8.88314979438837594) * z + 66.1191906371416295) * z +
        298.635138197400131) * z + 881.952221241769090) * z + 1712.04761263407058) * z + 2051.07837782607147) * z +
      1230.33935479799725;
    const den =
      (((((((z + 15.7449261107098347) * z + 117.693950891312499) * z + 537.181101862009858) * z + 1621.38957456669019) * z +
        3290.79923573345963) * z + 4362.61909014324716) * z + 3439.36767414372164) * z + 1230.33935480374942;
    erfc = (Math.exp(-z * z) * num) / den;
  } else {
    const t = 1 / (z * z);
    const num = ((((0.0163153871373020978 * t + 0.305326634961232344) * t + 0.360344899949804439) * t + 0.125781726111229246) * t + 0.0160837851487422766) * t + 6.58749161529837803e-4;
    const den = ((((t + 2.56852019228982242) * t + 1.87295284992346725) * t + 0.527905102951428412) * t + 0.0605183413124413191) * t + 0.00233520497626869185;
    erfc = (Math.exp(-z * z) / z) * (1 / Math.sqrt(Math.PI) - (t * num) / den);
  }
  const upper = erfc / 2;
  return x < 0 ? upper : 1 - upper;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** splitmix32 (the 32-bit variant of Steele et al.'s SplitMix), used only for seeding. */
export function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
