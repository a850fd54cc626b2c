/**
 * MIDAS's rough guide to reading an ICC (its GLMM tab): the share of the
 * variance between groups, in four bands.  MIDAS states it for the Gaussian
 * family; for other families the ICC is on the latent scale and the guide is
 * only indicative, which the reporters say.
 */
export interface IccBand {
  /** "0.20-0.50" */
  readonly range: string;
  readonly interpretation: string;
}

const BANDS: readonly { upTo: number; range: string; interpretation: string }[] = [
  { upTo: 0.05, range: '0-0.05', interpretation: 'small group differences' },
  { upTo: 0.2, range: '0.05-0.20', interpretation: 'small to moderate group effect' },
  { upTo: 0.5, range: '0.20-0.50', interpretation: 'large group effect' },
  { upTo: Infinity, range: '0.50+', interpretation: 'group differences dominate' },
];

export function iccBand(icc: number): IccBand {
  const band = BANDS.find((b) => icc < b.upTo) ?? BANDS[BANDS.length - 1]!;
  return { range: band.range, interpretation: band.interpretation };
}

/** The caveat printed under the band, by whether the ICC is on the latent scale. */
export function iccBandCaveat(latentScale: boolean): string {
  return latentScale
    ? 'MIDAS bands are a rough guide for Gaussian models; this ICC is on the latent scale, so read the band loosely, together with the group sizes (design effect).'
    : 'MIDAS bands are a rough guide; read them together with the group sizes (design effect).';
}
