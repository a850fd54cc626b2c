import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reference } from './reference.js';

/**
 * lme4's reference fits, copied from the project's shared fixtures so that the
 * tests stand on their own (public data sets and lme4's published figures).
 */
export const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));

export interface Fixture {
  name: string;
  csvPath: string;
  reference: Reference;
}

export function fixtureNames(): string[] {
  return readdirSync(fixturesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${fixturesDir}${d.name}/reference.json`))
    .map((d) => d.name)
    .sort();
}

export function loadFixture(name: string): Fixture {
  const dir = `${fixturesDir}${name}/`;
  const reference = JSON.parse(readFileSync(`${dir}reference.json`, 'utf8')) as Reference;
  return { name, csvPath: `${dir}data.csv`, reference };
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
