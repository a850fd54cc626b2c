import type { Diagnostics, GlmmResults, Reporter } from '@glmm/core';

/** The results as the JSON contract holds them (see toJsonContract). */
export type JsonResults = Omit<GlmmResults, 'diagnostics'> & { diagnostics?: Diagnostics };

/**
 * The fields of the results that go into the JSON: all but the per-row
 * diagnostics, which join only when `diagnosticsOutput.inline` is set, so
 * that the JSON of a million-row fit stays the size of its parameters and
 * levels. The diagnostics are not even built unless they join.
 */
export function toJsonContract(r: GlmmResults): JsonResults {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(r)) if (key !== 'diagnostics') out[key] = (r as unknown as Record<string, unknown>)[key];
  if (r.diagnosticsOutput?.inline) out.diagnostics = r.diagnostics;
  return out as JsonResults;
}

/**
 * Gives `results` a toJSON (not enumerable, so copies by spread leave it
 * out; copies by property descriptors keep it and serialise their own
 * fields, since it reads `this`): JSON.stringify(results) is then the JSON
 * contract, with the per-row diagnostics only when asked for inline.
 */
export function withJsonContract<T extends GlmmResults>(results: T): T {
  return Object.defineProperty(results, 'toJSON', {
    enumerable: false,
    configurable: true,
    writable: true,
    value(this: GlmmResults) {
      return toJsonContract(this);
    },
  });
}

/** An array of numbers on one line: per-row columns are long, one number per line would triple the file. */
function compactColumn(values: readonly number[]): string {
  return `[${values.join(',')}]`;
}

function diagnosticsJson(d: Diagnostics, indent: string): string {
  const inner = `${indent}  `;
  const lines: string[] = [];
  for (const [key, value] of Object.entries(d)) {
    if (key === 'randomEffects') continue;
    lines.push(`${inner}${JSON.stringify(key)}: ${compactColumn(value as number[])}`);
  }
  const re = Object.entries(d.randomEffects).map(([k, v]) => `${inner}  ${JSON.stringify(k)}: ${compactColumn(v)}`);
  lines.push(re.length === 0 ? `${inner}"randomEffects": {}` : `${inner}"randomEffects": {\n${re.join(',\n')}\n${inner}}`);
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

/**
 * The results contract as JSON text (schemaVersion 2; schema in
 * results-schema.ts). Per-row diagnostics are included only when
 * `diagnosticsOutput.inline` is set, one line per column.
 */
export function renderJson(r: GlmmResults): string {
  const { diagnostics, ...rest } = toJsonContract(r);
  const body = JSON.stringify(rest, null, 2);
  if (diagnostics === undefined) return body;
  // JSON's own number form is what join() writes (Number.prototype.toString), so the compact columns parse to the same values.
  return `${body.slice(0, -2)},\n  "diagnostics": ${diagnosticsJson(diagnostics, '  ')}\n}`;
}

export const jsonReporter: Reporter = { name: 'json', render: renderJson };
