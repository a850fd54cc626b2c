import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { extraFixtureNames, loadExtraFixture, loadFixture } from '@glmm/datasets';
import { fitModel, readCsvFile, type GlmmModel } from '@glmm/glmm';

/** R's answers for the fitted-model methods, made by model-reference/make-model-reference.R. */
export interface ModelReference {
  name: string;
  data: string;
  formula: string;
  family: string;
  link: string;
  method: string;
  categorical: string[];
  coding: Record<string, 'reference' | 'effects' | 'full'> | null;
  exclude: number[];
  logLik: number;
  fixef: { names: string[]; values: number[] };
  sigma: number;
  fitted: { conditional: number[]; marginal: number[]; conditionalLink: number[]; marginalLink: number[] };
  residuals: { response: number[]; pearson: number[]; deviance: number[] };
  marginalResiduals: { response: number[]; pearson: number[]; deviance: number[] };
  fixedSe: number[];
  newdata?: {
    conditionalLink: number[];
    conditional: number[];
    marginalLink: number[];
    marginal: number[];
    seLink: number[];
    newLevel: Record<string, number[]>;
    predictionInterval?: { conditionalHalfWidth: number[]; marginalHalfWidth: number[] };
  };
}

export const referenceDir = fileURLToPath(new URL('./model-reference/', import.meta.url));

export function modelReferenceNames(): string[] {
  return readdirSync(referenceDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${referenceDir}${d.name}/reference.json`))
    .map((d) => d.name)
    .sort();
}

export function loadModelReference(name: string): ModelReference {
  return JSON.parse(readFileSync(`${referenceDir}${name}/reference.json`, 'utf8')) as ModelReference;
}

export function referenceCsv(ref: ModelReference): string {
  return extraFixtureNames().includes(ref.data) ? loadExtraFixture(ref.data).csvPath : loadFixture(ref.data).csvPath;
}

export function newDataCsv(ref: ModelReference): string {
  return `${referenceDir}${ref.name}/newdata.csv`;
}

/** The reference's model, fitted through the public API as a user would state it. */
export function fitReference(ref: ModelReference): GlmmModel {
  return fitModel({
    formula: ref.formula,
    data: readCsvFile(referenceCsv(ref)),
    family: ref.family,
    link: ref.link,
    method: ref.method,
    categorical: ref.categorical,
    ...(ref.coding ? { coding: ref.coding } : {}),
    ...(ref.exclude.length ? { exclude: ref.exclude } : {}),
  });
}
