import AjvModule, { type ValidateFunction } from 'ajv';
import { nonFinitePaths } from './json-safety.js';
import { resultsSchema } from './results-schema.js';

// ajv is CommonJS: under NodeNext the default import is module.exports, whose `default` is the class.
const Ajv = AjvModule.default;
let compiled: ValidateFunction | null = null;

/** Compiled on first use: compiling the schema costs more than most fits, and a fit never needs it. */
function schemaValidator(): ValidateFunction {
  compiled ??= new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true }).compile(resultsSchema);
  return compiled;
}

export interface ValidationOutcome {
  valid: boolean;
  errors: string[];
}

/**
 * Validates against the JSON Schema, then checks what a schema cannot say:
 * every diagnostics column has nobs entries (when they are there) and
 * vcovFixed is p x p.
 */
export function validateResults(results: unknown): ValidationOutcome {
  // JSON has no NaN or Infinity; a JS object about to be serialised may, and ajv's "number" admits them.
  const nonFinite = nonFinitePaths(results);
  if (nonFinite.length > 0) return { valid: false, errors: nonFinite.map((p) => `${p}, which JSON cannot represent`) };
  const validateSchema = schemaValidator();
  if (!validateSchema(results)) {
    const errors = (validateSchema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    return { valid: false, errors };
  }
  const errors = consistencyErrors(results as ConsistencyView);
  return { valid: errors.length === 0, errors };
}

interface ConsistencyView {
  nobs: number;
  fixedEffects: unknown[];
  vcovFixed: unknown[][];
  diagnosticsOutput: { rows: number; inline: boolean };
  diagnostics?: Record<string, unknown> & { randomEffects: Record<string, unknown[]> };
}

function consistencyErrors(r: ConsistencyView): string[] {
  const errors: string[] = [];
  const p = r.fixedEffects.length;
  if (r.vcovFixed.length !== p || r.vcovFixed.some((row) => row.length !== p)) {
    errors.push(`/vcovFixed must be ${p} x ${p} to match fixedEffects`);
  }
  if (r.diagnosticsOutput.rows !== r.nobs) errors.push(`/diagnosticsOutput/rows is ${r.diagnosticsOutput.rows}, nobs is ${r.nobs}`);
  const d = r.diagnostics;
  if (d === undefined) {
    if (r.diagnosticsOutput.inline) errors.push('/diagnostics is missing although diagnosticsOutput.inline is true');
    return errors;
  }
  for (const [key, col] of Object.entries(d)) {
    if (key === 'randomEffects') continue;
    if (Array.isArray(col) && col.length !== r.nobs) errors.push(`/diagnostics/${key} has ${col.length} entries, nobs is ${r.nobs}`);
  }
  for (const [key, col] of Object.entries(d.randomEffects)) {
    if (col.length !== r.nobs) errors.push(`/diagnostics/randomEffects/${key} has ${col.length} entries, nobs is ${r.nobs}`);
  }
  return errors;
}
