import type { Family } from './family.js';
import type { Link } from './link.js';

/*
 * The questions estimators ask of a (family, link) pair, answered from what
 * the plugins declare, never from their names.
 */

/** Whether the link is the family's canonical link (Family.isCanonical; undeclared: no). */
export function isCanonicalPair(family: Family, link: Link): boolean {
  return family.isCanonical?.(link) ?? false;
}

/**
 * Whether every mu the link can return lies inside the family's mean space
 * (Link.range within Family.meanSpace), so no evaluation needs a validity
 * check.  Undeclared on either side: no.
 */
export function linkStaysInMeanSpace(family: Family, link: Link): boolean {
  const space = family.meanSpace;
  const range = link.range;
  if (!space || !range) return false;
  const { lower: a, upper: b } = space;
  const [lo, hi] = range;
  return (a === -Infinity || lo > a) && (b === Infinity || hi < b);
}

/** A linear mixed model: normal response, constant variance, canonical (identity) link. */
export function isLinearMixedModel(family: Family, link: Link): boolean {
  return family.linearWithCanonicalLink === true && isCanonicalPair(family, link);
}
