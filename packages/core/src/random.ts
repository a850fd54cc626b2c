/**
 * Uniform and standard normal variates from a seeded generator, for
 * families that draw new responses (Family.simulate).  @glmm/distributions'
 * Xoshiro128 is the platform's own; any object with these methods works.
 */
export interface RandomSource {
  /** Uniform on the open interval (0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
}
