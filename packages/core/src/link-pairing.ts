import type { Family } from './family.js';
import type { Link, OpenInterval } from './link.js';

/*
 * How a link's declared intervals (Link.muDomain, Link.muRange) relate to a
 * family's mean space (Family.meanSpace): the one interval test behind both
 * "may this pair be fitted" and "can a fit of this pair leave the mean space".
 * Answers come from what the plugins declare, never from their names.
 */

/** True when the open interval `inner` is non-empty and lies inside the open interval `outer`. */
export function intervalWithin(inner: OpenInterval, outer: OpenInterval): boolean {
  return inner.lower >= outer.lower && inner.upper <= outer.upper && inner.lower < inner.upper;
}

/**
 * Whether every finite mean the link returns (Link.muRange) lies inside the
 * family's mean space, so no step of a fit can leave it: estimators then
 * skip the family's validMu check and may use the fused row kernels.
 * Undeclared on either side: no.
 */
export function linkStaysInMeanSpace(family: Family, link: Link): boolean {
  const space = family.meanSpace;
  return space !== undefined && link.muRange !== undefined && intervalWithin(link.muRange, space);
}

/**
 * The capability rule: the link is defined on the family's whole mean space
 * (every mean has an eta, so any starting mean can be linked) and stays in
 * it (linkStaysInMeanSpace).  Both sides must declare their intervals; an
 * undeclared one never fits.
 */
export function linkFitsFamily(family: Family, link: Link): boolean {
  const space = family.meanSpace;
  if (!space || !link.muDomain) return false;
  return intervalWithin(space, link.muDomain) && linkStaysInMeanSpace(family, link);
}

/**
 * Whether the pair may be fitted: the family names the link (its R list,
 * which includes links such as identity for counts that can leave the mean
 * space and rely on the fit's step halving, as in R), or the link fits the
 * family's mean space by the capability rule.
 */
export function isLinkAllowed(family: Family, link: Link): boolean {
  return family.allowedLinks.includes(link.name) || linkFitsFamily(family, link);
}

/** "(0, Infinity)"-style text of an interval for messages. */
export function formatInterval(interval: OpenInterval): string {
  return `(${interval.lower}, ${interval.upper})`;
}
