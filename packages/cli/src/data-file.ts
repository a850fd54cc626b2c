import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { GlmmInputError } from '@glmm/core';

function reason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'a parent is not a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Checks the data file before the CSV reader sees it, so that a typo in the
 * path or an empty export gets a plain sentence rather than a reader error.
 */
export function checkDataFile(path: string): void {
  let size: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw new GlmmInputError(`data file "${path}" is a directory, not a CSV file`);
    size = stat.size;
  } catch (err) {
    if (err instanceof GlmmInputError) throw err;
    throw new GlmmInputError(`cannot read data file "${path}": ${reason(err)}`);
  }
  // Only the start matters: a file of blank lines is as empty as a 0-byte one.
  if (size === 0 || (size < 4096 && readFileSync(path, 'utf8').trim() === '')) {
    throw new GlmmInputError(`data file "${path}" is empty (0 rows): expected a header row and at least one data row`);
  }
}

/** Writes an output file; a failure is the user's path, so it becomes a one-line input error. */
export function writeTextFile(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text, 'utf8');
  } catch (err) {
    throw new GlmmInputError(`cannot write ${what} to "${path}": ${reason(err)}`);
  }
}
