import { closeSync, existsSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gammaDeviate, normalCdf, Xoshiro128 } from './prng.js';

export type SyntheticFamily = 'gaussian' | 'poisson' | 'binomial' | 'gamma';
/** The link that maps eta to the mean; each family's canonical one by default (log for the gamma cases). */
export type SyntheticLink = 'identity' | 'log' | 'logit' | 'probit';

/** The data-generating model of every synthetic case: y ~ x1 + x2 + (1 | g). */
export const SYNTHETIC_TRUTH = {
  intercept: 0.2,
  x1: 0.5,
  x2: -0.3,
  groupSd: 0.5,
  residualSd: 1,
  /** Gamma responses: shape 2, so the dispersion (lme4's sigma^2) is 0.5. */
  gammaShape: 2,
} as const;

export interface SyntheticSpec {
  readonly family: SyntheticFamily;
  /** Default: identity (gaussian), log (poisson, gamma), logit (binomial). */
  readonly link?: SyntheticLink;
  readonly n: number;
  /** Number of groups; default n / 100 (rounded up). */
  readonly groups?: number;
  readonly seed: number;
}

const DEFAULT_LINK: Readonly<Record<SyntheticFamily, SyntheticLink>> = {
  gaussian: 'identity',
  poisson: 'log',
  binomial: 'logit',
  gamma: 'log',
};

export function syntheticLink(spec: SyntheticSpec): SyntheticLink {
  return spec.link ?? DEFAULT_LINK[spec.family];
}

function inverseLink(link: SyntheticLink, eta: number): number {
  switch (link) {
    case 'identity':
      return eta;
    case 'log':
      return Math.exp(eta);
    case 'logit':
      return 1 / (1 + Math.exp(-eta));
    case 'probit':
      return normalCdf(eta);
  }
}

export interface SyntheticData {
  readonly y: Float64Array;
  readonly x1: Float64Array;
  readonly x2: Float64Array;
  /** Group labels "g0001", ... zero-padded to the width of the group count. */
  readonly g: string[];
  /** The true random intercept of each group (not written to the CSV). */
  readonly u: Float64Array;
}

/** Six decimals keep the CSVs small; the rounded values are what the model sees on both sides. */
function round6(v: number): number {
  const r = Number(v.toFixed(6));
  return r === 0 ? 0 : r; // no "-0" in the CSV
}

export function groupLabel(index: number, groups: number): string {
  return `g${String(index + 1).padStart(String(groups).length, '0')}`;
}

/**
 * Draws one synthetic data set.  Rows go to groups round-robin (row i in group
 * i mod G), so every group has n / G rows; the draws happen in a fixed order
 * (all group effects, then per row x1, x2, response) so a seed fixes the data.
 */
export function generateSynthetic(spec: SyntheticSpec): SyntheticData {
  const { family, n, seed } = spec;
  const link = syntheticLink(spec);
  if (family === 'gaussian' && link !== 'identity') throw new Error('gaussian synthetic data use the identity link');
  if (family === 'binomial' ? link !== 'logit' && link !== 'probit' : family !== 'gaussian' && link !== 'log') {
    throw new Error(`link ${link} is not available for synthetic ${family} data`);
  }
  const groups = spec.groups ?? Math.ceil(n / 100);
  if (!Number.isInteger(n) || n < 2) throw new Error(`n must be an integer >= 2, got ${n}`);
  if (!Number.isInteger(groups) || groups < 2 || groups > n) throw new Error(`groups must be an integer in 2..${n}, got ${groups}`);
  const rng = new Xoshiro128(seed);
  const t = SYNTHETIC_TRUTH;
  const u = new Float64Array(groups);
  for (let j = 0; j < groups; j++) u[j] = t.groupSd * rng.nextNormal();
  const labels = new Array<string>(groups);
  for (let j = 0; j < groups; j++) labels[j] = groupLabel(j, groups);

  const y = new Float64Array(n);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const g = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const j = i % groups;
    const a = round6(rng.nextNormal());
    const b = round6(rng.nextNormal());
    const eta = t.intercept + t.x1 * a + t.x2 * b + (u[j] as number);
    x1[i] = a;
    x2[i] = b;
    g[i] = labels[j] as string;
    if (family === 'gaussian') y[i] = round6(eta + t.residualSd * rng.nextNormal());
    else if (family === 'poisson') y[i] = rng.nextPoisson(Math.exp(eta));
    else if (family === 'binomial') y[i] = rng.nextDouble() < inverseLink(link, eta) ? 1 : 0;
    // Seven significant digits: positive however small the draw (six decimals could round it to 0).
    else y[i] = Number(((inverseLink(link, eta) / t.gammaShape) * gammaDeviate(rng, t.gammaShape)).toPrecision(7));
  }
  return { y, x1, x2, g, u };
}

/** CSV text of rows [from, to), with the header when from = 0; numbers print exactly as stored (the shortest round-trip form). */
export function syntheticCsvChunk(data: SyntheticData, from: number, to: number): string {
  const lines: string[] = from === 0 ? ['y,x1,x2,g'] : [];
  for (let i = from; i < to; i++) lines.push(`${data.y[i]},${data.x1[i]},${data.x2[i]},${data.g[i]}`);
  return lines.join('\n') + '\n';
}

export function syntheticFileName(spec: SyntheticSpec): string {
  const groups = spec.groups ?? Math.ceil(spec.n / 100);
  const link = syntheticLink(spec);
  // The canonical link is left out of the name, so the files of the first cases keep theirs.
  const family = link === DEFAULT_LINK[spec.family] ? spec.family : `${spec.family}-${link}`;
  return `${family}-n${spec.n}-g${groups}-s${spec.seed}.csv`;
}

/**
 * Writes the data set as CSV into `dir` unless that file already exists (the
 * name carries every parameter, so a cached file is the same data).
 */
export function ensureSyntheticCsv(spec: SyntheticSpec, dir: string): { path: string; generated: boolean } {
  return writeCsvOnce(join(dir, syntheticFileName(spec)), (write) => {
    const data = generateSynthetic(spec);
    const chunk = 20_000;
    for (let from = 0; from < spec.n; from += chunk) write(syntheticCsvChunk(data, from, Math.min(spec.n, from + chunk)));
  });
}

/**
 * Creates the file at `path` from the text `fill` writes, unless it exists.
 * Writes to a temporary name first so an interrupted run leaves no half file behind.
 */
export function writeCsvOnce(path: string, fill: (write: (text: string) => void) => void): { path: string; generated: boolean } {
  if (existsSync(path)) return { path, generated: false };
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    fill((text) => writeSync(fd, text));
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { path, generated: true };
}
