import { extname } from 'node:path';
import { GlmmInputError } from '@glmm/core';

export type DataFormat = 'csv' | 'parquet' | 'arrow';

const BY_EXTENSION: Readonly<Record<string, DataFormat>> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.tab': 'csv',
  '.txt': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.arrow': 'arrow',
  '.arrows': 'arrow',
  '.feather': 'arrow',
  '.ipc': 'arrow',
};

function startsWith(bytes: Uint8Array, text: string): boolean {
  if (bytes.length < text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The format the first bytes announce: Parquet's PAR1, Arrow's ARROW1 or a stream's 0xFFFFFFFF continuation marker. */
export function formatFromBytes(bytes: Uint8Array): DataFormat | undefined {
  if (startsWith(bytes, 'PAR1')) return 'parquet';
  if (startsWith(bytes, 'ARROW1')) return 'arrow';
  if (bytes.length >= 8 && bytes[0] === 0xff && bytes[1] === 0xff && bytes[2] === 0xff && bytes[3] === 0xff) return 'arrow';
  return undefined;
}

/** The format a file name's extension says, if it is one we know. */
export function formatFromPath(path: string): DataFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/** The delimiter a file name implies: a tab for .tsv and .tab; otherwise guessed from the data. */
export function delimiterFromPath(path: string): string | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.tsv' || ext === '.tab' ? '\t' : undefined;
}

/**
 * What to read the bytes as: the format asked for, else what the bytes
 * announce, else the extension's, else CSV. A Parquet or Arrow extension on
 * a file without that format's signature is an error rather than a
 * confusing parse of it as text.
 */
export function resolveFormat(bytes: Uint8Array, source: string, path: string | undefined, asked?: DataFormat): DataFormat {
  const sniffed = formatFromBytes(bytes);
  if (asked !== undefined) {
    if (asked !== 'csv' && sniffed !== asked) throw new GlmmInputError(`${source} is not ${article(asked)} file: ${signatureText(asked)}`);
    return asked;
  }
  if (sniffed !== undefined) return sniffed;
  const byName = path === undefined ? undefined : formatFromPath(path);
  if (byName !== undefined && byName !== 'csv') throw new GlmmInputError(`${source} is not ${article(byName)} file: ${signatureText(byName)}`);
  return 'csv';
}

function article(format: DataFormat): string {
  return format === 'arrow' ? 'an Arrow IPC' : format === 'parquet' ? 'a Parquet' : 'a CSV';
}

function signatureText(format: DataFormat): string {
  return format === 'parquet' ? 'it does not start with "PAR1"' : 'it does not start with "ARROW1" or a stream message';
}
