import { CATEGORICAL_CODINGS, isCategoricalCoding, type CategoricalCoding, type CodingSpec } from '@glmm/formula';
import type { ParsedArgs } from './args.js';
import { UsageError } from './usage-error.js';

/**
 * `--exclude 3,7,10-12`: rows to leave out, 1-based as the excluded-row
 * report numbers them; ranges are inclusive.
 */
export function excludeOption(args: ParsedArgs): number[] | undefined {
  const raw = args.options.get('exclude');
  if (raw === undefined) return undefined;
  const rows: number[] = [];
  for (const part of raw.split(',').map((s) => s.trim())) {
    const m = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(part);
    if (!m) throw new UsageError(`--exclude takes row numbers and ranges such as 3,7,10-12 (got "${part}")`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to < from || !Number.isSafeInteger(to))
      throw new UsageError(`--exclude range "${part}" is not a range of rows numbered from 1 (first <= last)`);
    if (to - from > 10_000_000) throw new UsageError(`--exclude range "${part}" is too long`);
    for (let r = from; r <= to; r++) rows.push(r);
  }
  return rows;
}

/** `--coding effects` (every categorical predictor) or `--coding f=effects,g=full`. */
export function codingOption(args: ParsedArgs): CodingSpec | undefined {
  const raw = args.options.get('coding');
  if (raw === undefined) return undefined;
  const known = CATEGORICAL_CODINGS.join(', ');
  const one = raw.trim().toLowerCase();
  if (!raw.includes('=')) {
    if (!isCategoricalCoding(one)) throw new UsageError(`unknown --coding "${raw}"; codings: ${known} (or COLUMN=CODING,...)`);
    return one;
  }
  const out: Record<string, CategoricalCoding> = {};
  for (const item of raw.split(',').map((s) => s.trim())) {
    const eq = item.indexOf('=');
    const column = item.slice(0, eq).trim();
    const coding = item.slice(eq + 1).trim().toLowerCase();
    if (eq <= 0 || column === '') throw new UsageError(`--coding expects COLUMN=CODING pairs such as f=effects, got "${item}"`);
    if (!isCategoricalCoding(coding)) throw new UsageError(`unknown coding "${coding}" for column "${column}" in --coding; codings: ${known}`);
    out[column] = coding;
  }
  return out;
}
