import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GlmmInputError } from '@glmm/core';

/** A file system error as the few words a user needs. */
export function fileErrorReason(err: unknown): string {
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

/** How an error message names a data source. */
export function describeSource(path: string): string {
  return path === '-' ? 'data from standard input' : `data file "${path}"`;
}

/**
 * The whole file as bytes, in one buffer of its size (read in pieces, so
 * files past the 2 GB a single read allows are read too). Missing files,
 * directories and unreadable files are one-line input errors.
 */
export function readFileBytes(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new GlmmInputError(`cannot read ${describeSource(path)}: ${fileErrorReason(err)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new GlmmInputError(`${describeSource(path)} is a directory, not a data file`);
    if (stat.size > 2 ** 32 - 1) throw new GlmmInputError(`${describeSource(path)} is ${(stat.size / 2 ** 30).toFixed(1)} GB; files up to 4 GB can be read`);
    if (!stat.isFile()) return readAll(fd);
    const buf = Buffer.allocUnsafe(stat.size);
    let at = 0;
    while (at < buf.length) {
      const n = readSync(fd, buf, at, Math.min(buf.length - at, 1 << 30), at);
      if (n === 0) break;
      at += n;
    }
    return at === buf.length ? buf : buf.subarray(0, at);
  } catch (err) {
    if (err instanceof GlmmInputError) throw err;
    throw new GlmmInputError(`cannot read ${describeSource(path)}: ${fileErrorReason(err)}`);
  } finally {
    closeSync(fd);
  }
}

/** A pipe or device: read until its end. */
function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  for (;;) {
    const chunk = Buffer.allocUnsafe(1 << 20);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks);
}

/** Everything on standard input, as bytes. */
export async function readStdinBytes(stream: NodeJS.ReadableStream = process.stdin): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** True when the bytes hold nothing but white space (looked at in the first 4 KB; a larger file is not empty). */
export function isBlank(bytes: Uint8Array): boolean {
  if (bytes.length > 4096) return false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i] as number;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 11) return false;
  }
  return true;
}
