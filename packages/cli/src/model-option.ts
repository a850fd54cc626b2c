import { UsageError } from './usage-error.js';

/** The --model option of a command that reads one model. */
export function modelPath(options: ReadonlyMap<string, string>, command: string): string {
  const path = options.get('model');
  if (path === undefined) throw new UsageError(`missing required option --model FILE.json (a model saved by "glmm fit --save"); see "glmm ${command} --help"`);
  return path;
}

/** An option that must be one of `allowed`. */
export function choiceOption<T extends string>(options: ReadonlyMap<string, string>, name: string, allowed: readonly T[]): T | undefined {
  const raw = options.get(name);
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`option --${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  return v as T;
}

/** --level: a confidence level strictly between 0 and 1. */
export function levelOption(options: ReadonlyMap<string, string>): number | undefined {
  const raw = options.get('level');
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !(v > 0 && v < 1)) throw new UsageError(`option --level must be a number between 0 and 1, e.g. 0.9 (got "${raw}")`);
  return v;
}

export function noPositionals(positionals: readonly string[], command: string): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" for "glmm ${command}"; options take the form --name value`);
}

/** --format of an inference command: text (default), json or csv. */
export function tableFormat(options: ReadonlyMap<string, string>): 'text' | 'json' | 'csv' {
  return choiceOption(options, 'format', ['text', 'json', 'csv'] as const) ?? 'text';
}
