import type { Family } from './family.js';
import type { Link } from './link.js';

/*
 * The questions estimators ask of a (family, link) pair, answered from what
 * the plugins declare, never from their names.  Whether the link can leave
 * the family's mean space is answered with the pairing rules, in
 * link-pairing.ts (linkStaysInMeanSpace).
 */

/** Whether the link is the family's canonical link (Family.isCanonical; undeclared: no). */
export function isCanonicalPair(family: Family, link: Link): boolean {
  return family.isCanonical?.(link) ?? false;
}

/** A linear mixed model: normal response, constant variance, canonical (identity) link. */
export function isLinearMixedModel(family: Family, link: Link): boolean {
  return family.linearWithCanonicalLink === true && isCanonicalPair(family, link);
}
