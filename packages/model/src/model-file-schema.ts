import { GlmmInputError } from '@glmm/core';
import { resultsSchema } from '@glmm/report';
import AjvModule, { type ValidateFunction } from 'ajv';
import type { ModelFile } from './model-file.js';

// ajv is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
const Ajv = AjvModule.default;

const num = { type: 'number' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const str = { type: 'string' } as const;
const numbers = { type: 'array', items: num } as const;
const strings = { type: 'array', items: str } as const;
const object = (required: readonly string[], properties: Record<string, unknown>) => ({
  type: 'object',
  additionalProperties: false,
  required,
  properties,
});

const coding = { enum: ['reference', 'effects', 'full'] } as const;
const variable = {
  oneOf: [
    object(['label', 'kind'], { label: str, kind: { const: 'numeric' } }),
    object(['label', 'kind'], { label: str, kind: { const: 'unused' } }),
    object(['label', 'kind', 'column', 'levels'], { label: str, kind: { const: 'factor' }, column: str, levels: strings }),
  ],
};

/** JSON Schema (draft-07) of a saved model, version 1. */
export const modelFileSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://glmm.local/schemas/glmm-model-v1.json',
  title: 'GlmmModelFile',
  description:
    'A fitted model: its specification, the frame encoding that builds X and Z from data, the estimates, the results without per-row diagnostics, and optionally the rows it was fitted to (the columns the formula reads, and the response).',
  ...object(['format', 'version', 'spec', 'frame', 'estimates', 'summary', 'design', 'response'], {
    format: { const: 'glmm-model' },
    version: { const: 1 },
    spec: object(['family', 'link', 'method', 'options', 'covariances', 'confidenceLevel'], {
      family: str,
      link: str,
      method: str,
      options: object(['maxIterations', 'maxEvaluations', 'tolerance', 'nAGQ'], {
        maxIterations: int,
        maxEvaluations: int,
        tolerance: num,
        nAGQ: int,
        dispersion: { enum: ['moment', 'ml'] },
      }),
      covariances: strings,
      confidenceLevel: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
    }),
    frame: object(['formula', 'intercept', 'categorical', 'coding', 'exclude', 'fixed', 'fixedNames', 'fixedTerms', 'random'], {
      formula: str,
      intercept: { type: 'boolean' },
      categorical: strings,
      weights: str,
      offset: str,
      coding: { type: 'object', additionalProperties: coding },
      exclude: { type: 'array', items: { type: 'integer', minimum: 1 } },
      fixed: { type: 'array', items: variable },
      fixedNames: strings,
      fixedTerms: { type: 'array', items: object(['label', 'variables', 'columns'], { label: str, variables: strings, columns: { type: 'array', items: int } }) },
      random: {
        type: 'array',
        items: object(['group', 'spec', 'levels', 'variables', 'columnNames'], {
          group: str,
          spec: int,
          levels: strings,
          variables: { type: 'array', items: variable },
          columnNames: strings,
        }),
      },
    }),
    estimates: object(['method', 'nAGQ', 'beta', 'vcov', 'theta', 'sigma', 'dispersion', 'logLik', 'df', 'terms'], {
      method: str,
      nAGQ: int,
      beta: numbers,
      vcov: numbers,
      theta: numbers,
      sigma: num,
      dispersion: num,
      familyParameter: { type: 'number', exclusiveMinimum: 0 },
      logLik: num,
      df: int,
      terms: {
        type: 'array',
        items: object(['group', 'columnNames', 'levels', 'covariance', 'thetaOffset', 'thetaCount', 'correlated', 'covarianceMatrix', 'modes', 'condSd'], {
          group: str,
          columnNames: strings,
          levels: strings,
          covariance: str,
          thetaOffset: int,
          thetaCount: int,
          correlated: { type: 'boolean' },
          covarianceMatrix: numbers,
          modes: numbers,
          condSd: numbers,
        }),
      },
    }),
    summary: { type: 'object' },
    design: {
      oneOf: [
        { type: 'null' },
        object(['n', 'columns', 'weights', 'trials', 'response'], {
          n: int,
          columns: {
            type: 'object',
            additionalProperties: { oneOf: [numbers, object(['levels', 'codes'], { levels: strings, codes: { type: 'array', items: int } })] },
          },
          weights: { oneOf: [{ type: 'null' }, numbers] },
          trials: { oneOf: [{ type: 'null' }, numbers] },
          response: numbers,
        }),
      ],
    },
    response: { oneOf: [{ type: 'null' }, object(['n', 'sum', 'sumOfSquares'], { n: int, sum: num, sumOfSquares: num })] },
  }),
} as const;

/**
 * The results contract's schema without the per-row diagnostics: what a model
 * file keeps as its summary. The contract (version 2) no longer requires them;
 * the summary may not even hold them, since they grow with the rows.
 */
const summarySchema = (() => {
  const { diagnostics: _d, ...properties } = resultsSchema.properties;
  void _d;
  return {
    ...resultsSchema,
    $id: 'https://glmm.local/schemas/glmm-model-summary-v1.json',
    properties,
  };
})();

let validators: { file: ValidateFunction; summary: ValidateFunction } | null = null;

/** Compiled on first use: only loading a model needs them. */
function compiled(): { file: ValidateFunction; summary: ValidateFunction } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    validators = { file: ajv.compile(modelFileSchema), summary: ajv.compile(summarySchema) };
  }
  return validators;
}

function firstErrors(v: ValidateFunction, prefix: string): string {
  return (v.errors ?? [])
    .slice(0, 3)
    .map((e) => `${prefix}${e.instancePath || ''} ${e.message ?? 'is invalid'}`)
    .join('; ');
}

/** The parsed file, checked against the schema; a file of another format or version is named as such. */
export function checkModelFile(json: unknown): ModelFile {
  const f = json as Partial<ModelFile> | null;
  if (f === null || typeof f !== 'object' || f.format !== 'glmm-model')
    throw new GlmmInputError('not a glmm model file (no "format": "glmm-model"); save one with glmm fit --save FILE.json');
  if (f.version !== 1) throw new GlmmInputError(`model file version ${String(f.version)} is not supported; this version of glmm reads version 1`);
  const v = compiled();
  if (!v.file(json)) throw new GlmmInputError(`model file does not match its schema: ${firstErrors(v.file, '')}`);
  if (!v.summary(f.summary)) throw new GlmmInputError(`model file's summary does not match the results schema: ${firstErrors(v.summary, '/summary')}`);
  return json as ModelFile;
}
