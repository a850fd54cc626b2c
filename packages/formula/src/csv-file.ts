import { readFileSync, statSync } from 'node:fs';
import { GlmmInputError } from '@glmm/core';
import { parseCsv } from './csv.js';
import type { DataTable } from './data-table.js';

/** Reads and parses a CSV file; GlmmInputError when missing, unreadable or empty. */
export function readCsvFile(path: string): DataTable {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new GlmmInputError(`file not found: ${path} is a directory`);
    // Same decoding as readFileSync(path, 'utf8'), which is markedly slower on large files in Node 20.
    text = readFileSync(path).toString('utf8');
  } catch (err) {
    if (err instanceof GlmmInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GlmmInputError(`file not found: ${path}`);
    throw new GlmmInputError(`file could not be read: ${path} (${code ?? (err instanceof Error ? err.message : String(err))})`);
  }
  if (text.trim() === '') throw new GlmmInputError(`file is empty: ${path}`);
  return parseCsv(text);
}
