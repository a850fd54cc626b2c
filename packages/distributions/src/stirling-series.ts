/*
 * Shared by lgamma and stirlerr: each needs the other's region (lgamma uses
 * this series past 15, stirlerr falls back to lgamma for non-half-integers
 * up to 15), so the series lives on its own to keep the files acyclic.
 */

const S0 = 1 / 12;
const S1 = 1 / 360;
const S2 = 1 / 1260;
const S3 = 1 / 1680;
const S4 = 1 / 1188;

/** The asymptotic series of stirlerr, accurate to double precision for n > 15. */
export function stirlerrSeries(n: number): number {
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}
