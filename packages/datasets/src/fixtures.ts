import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reference } from './reference.js';

/**
 * lme4's reference fits, copied from the project's shared fixtures so that the
 * tests stand on their own (public data sets and lme4's published figures).
 */
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
/**
 * More lme4 references, made by `r/make-reference.R` on simulated data: the
 * cases the shipped fixtures do not cover (crossed binary, factor slopes,
 * nested and slope GLMMs, singular fits), checked by the same rules.
 */
export const extraFixturesDir = fileURLToPath(new URL('../extra-fixtures/', import.meta.url));
export const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));

export interface Fixture {
  name: string;
  csvPath: string;
  reference: Reference;
}

function namesIn(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${root}${d.name}/reference.json`))
    .map((d) => d.name)
    .sort();
}

function loadFrom(root: string, name: string): Fixture {
  const dir = `${root}${name}/`;
  const reference = JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as Reference;
  return { name, csvPath: `${dir}data.csv`, reference };
}

export function fixtureNames(): string[] {
  return namesIn(fixturesDir);
}

export function loadFixture(name: string): Fixture {
  return loadFrom(fixturesDir, name);
}

export function extraFixtureNames(): string[] {
  return namesIn(extraFixturesDir);
}

export function loadExtraFixture(name: string): Fixture {
  return loadFrom(extraFixturesDir, name);
}

export function fixtureCsvText(name: string): string {
  return readFileSync(`${fixturesDir}${name}/data.csv`, 'utf8');
}

/** Bundled example data sets used by `glmm example` and the README. */
export const examples = {
  sleepstudy: {
    csvPath: `${examplesDir}sleepstudy.csv`,
    formula: 'Reaction ~ Days + (Days | Subject)',
    family: 'gaussian',
    description: "Reaction times in a sleep-deprivation study (Belenky et al. 2003), lme4's sleepstudy",
  },
  cbpp: {
    csvPath: `${examplesDir}cbpp.csv`,
    formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    family: 'binomial',
    description: "Contagious bovine pleuropneumonia incidence by herd and period, lme4's cbpp",
  },
} as const;
