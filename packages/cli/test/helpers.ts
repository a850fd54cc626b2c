import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../src/io.js';
import { runCli } from '../src/run.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process and collects what it writes. */
export async function run(
  argv: string[],
  env: Record<string, string | undefined> = {},
  terminal: Pick<CliIo, 'stderrIsTTY' | 'stderrColumns' | 'now'> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    env,
    ...terminal,
  });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'glmm-cli-test-'));
let counter = 0;

/** Writes a temporary file and returns its path. */
export function tempFile(content: string, ext = 'csv'): string {
  const path = join(dir, `f${counter++}.${ext}`);
  writeFileSync(path, content, 'utf8');
  return path;
}

/** A path in the temporary directory that does not exist yet. */
export function tempPath(ext: string): string {
  return join(dir, `out${counter++}.${ext}`);
}

/** CSV text from a header and rows. */
export function csv(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}

/**
 * The one-line error contract: exactly one line on stderr, "glmm: error: ...",
 * no stack frame, nothing on stdout.  Returns the message after the prefix.
 */
export function expectOneLineError(r: CliRun, code: number): string {
  const problems: string[] = [];
  if (r.code !== code) problems.push(`exit code ${r.code}, expected ${code}`);
  if (!/^glmm: error: [^\n]+\n$/.test(r.stderr)) problems.push('stderr is not one "glmm: error:" line');
  if (/\n\s+at /.test(r.stderr)) problems.push('stderr holds a stack trace');
  if (r.stdout !== '') problems.push('stdout is not empty');
  if (problems.length) throw new Error(`${problems.join('; ')}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`);
  return r.stderr.slice('glmm: error: '.length, -1);
}
