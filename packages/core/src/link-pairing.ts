import type { Family } from './family.js';
import type { Link, OpenInterval } from './link.js';

/** True when the open interval `inner` lies inside the open interval `outer`. */
function within(inner: OpenInterval, outer: OpenInterval): boolean {
  return inner.lower >= outer.lower && inner.upper <= outer.upper && inner.lower < inner.upper;
}

/**
 * The capability rule: the link is defined on the family's whole mean space
 * (every mean has an eta, so any starting mean can be linked) and sends every
 * valid eta back into it (no step of a fit can leave the mean space).  Both
 * sides must declare their intervals; an undeclared one never fits.
 */
export function linkFitsFamily(family: Family, link: Link): boolean {
  const space = family.meanSpace;
  if (!space || !link.muDomain || !link.muRange) return false;
  return within(space, link.muDomain) && within(link.muRange, space);
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
