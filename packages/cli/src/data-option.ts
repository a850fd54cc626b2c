import { delimiterFromOption, type DataTable } from '@glmm/formula';
import { loadData } from './data-file.js';
import { UsageError } from './usage-error.js';

/** `--delimiter` as one character (names such as tab and semicolon allowed). */
export function delimiterOption(options: ReadonlyMap<string, string>): string | undefined {
  const raw = options.get('delimiter');
  if (raw === undefined) return undefined;
  try {
    return delimiterFromOption(raw);
  } catch (err) {
    throw new UsageError(`--${(err as Error).message}`);
  }
}

/**
 * The table of `--data` (with `--delimiter`), read by the same readers as
 * `glmm fit --data`: delimited text, Parquet, Arrow IPC or standard input.
 * Read once per command, since standard input can be read only once.
 */
export async function dataOption(options: ReadonlyMap<string, string>): Promise<DataTable | undefined> {
  const path = options.get('data');
  const delimiter = delimiterOption(options);
  if (path === undefined) {
    if (delimiter !== undefined) throw new UsageError('--delimiter applies to --data, which is not given');
    return undefined;
  }
  return loadData(path, delimiter);
}
