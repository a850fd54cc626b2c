import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * References for the families beyond lme4's (negative binomial, inverse
 * Gaussian) and for links by name: R's known values of the densities and
 * family functions (`family-values.json`, from r/make-family-values.R) and
 * whole fits (`<name>/data.csv` + `reference.json`, from
 * r/make-nb-references.R, r/make-inverse-gaussian-references.R and
 * r/make-links-by-name-references.R).  See family-references/README.md.
 */
export const familyReferencesDir = fileURLToPath(new URL('../family-references/', import.meta.url));

/** A number as stored in the JSON: infinities are the strings "Infinity" and "-Infinity". */
export type JsonNumber = number | string;

/** The number a JsonNumber stands for. */
export function jsonNumber(v: JsonNumber): number {
  return typeof v === 'number' ? v : Number(v);
}

export interface FamilyValues {
  source: string;
  dnbinom: { x: number; size: JsonNumber; mu: number; log: JsonNumber }[];
  dpois_limit: { x: number; mu: number; log: number };
  dinvgauss: { x: number; mean: number; dispersion: number; log: number }[];
  polygamma: { x: number; digamma: number; trigamma: number }[];
  nb_family: {
    theta: number;
    y: number[];
    mu: number[];
    wt: number[];
    dev_resids: number[];
    deviance: number;
    aic: number;
    minus2loglik: number;
    variance: number[];
  }[];
  ig_family: {
    y: number[];
    mu: number[];
    wt: number[];
    dev_resids: number[];
    deviance: number;
    aic: number;
    variance: number[];
    minus2loglik: { dispersion: number; value: number }[];
  };
  /** Gamma at a fixed dispersion: unit deviance residuals over phi, exact -2 log-likelihood, phi V(mu). */
  gamma_ml: DispersionValues[];
  /** gaussian at a fixed dispersion (no variance: the weights carry it). */
  gaussian_ml: Omit<DispersionValues, 'variance'>[];
  theta_ml: { y: number[]; mu: number[]; wt: number[]; theta: number }[];
}

/** R's values of a family at a fixed dispersion phi. */
export interface DispersionValues {
  dispersion: number;
  y: number[];
  mu: number[];
  wt: number[];
  dev_resids: number[];
  deviance: number;
  minus2loglik: number;
  variance: number[];
}

/** R's values of the negative binomial and inverse Gaussian functions, and of Gamma and gaussian at a fixed dispersion. */
export function loadFamilyValues(): FamilyValues {
  return JSON.parse(readFileSync(`${familyReferencesDir}family-values.json`, 'utf8')) as FamilyValues;
}

/** The NB2 log density on the same grid from its definition in 60-digit arithmetic (r/dnbinom-exact.py). */
export function loadDnbinomExact(): { x: number; size: number; mu: number; log: number }[] {
  return (JSON.parse(readFileSync(`${familyReferencesDir}dnbinom-exact.json`, 'utf8')) as { dnbinom: { x: number; size: number; mu: number; log: number }[] }).dnbinom;
}

/** Names of the fit references (folders with a reference.json). */
export function familyReferenceNames(): string[] {
  return readdirSync(familyReferencesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${familyReferencesDir}${d.name}/reference.json`))
    .map((d) => d.name)
    .sort();
}

/** One fit reference: its data file and its reference.json, parsed (its shape is described in the README). */
export function loadFamilyReference<T = Record<string, unknown>>(name: string): { name: string; csvPath: string; reference: T } {
  const dir = `${familyReferencesDir}${name}/`;
  return { name, csvPath: `${dir}data.csv`, reference: JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as T };
}
