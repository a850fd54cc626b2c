import { nearestName } from '@glmm/core';
import { UsageError } from './usage-error.js';

/** One option a command accepts. */
export interface OptionSpec {
  /** Long name without dashes: "data", "no-intercept". */
  readonly name: string;
  /** A flag takes no value; a value option takes exactly one. */
  readonly kind: 'flag' | 'value';
  /** Placeholder shown in help: "FILE", "N". */
  readonly valueName?: string;
  readonly description: string;
  /** Single-letter alias without the dash: "h". */
  readonly short?: string;
  /** A value option that may be given more than once (every value is in ParsedArgs.repeated, in order). */
  readonly repeatable?: boolean;
}

export interface ParsedArgs {
  /** Value options by name (a repeatable option's first value); flags are stored as "true". */
  readonly options: ReadonlyMap<string, string>;
  readonly positionals: readonly string[];
  /** Every value of each repeatable option, in order (`options` holds the first). */
  readonly repeated: ReadonlyMap<string, readonly string[]>;
}

/**
 * Parses `--key value`, `--key=value`, flags and positionals against the
 * command's option table.  No dependency: the grammar is small, and owning it
 * lets every mistake become one precise line for the user.
 */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const options = new Map<string, string>();
  const positionals: string[] = [];
  const repeated = new Map<string, string[]>();

  const valid = (): string => specs.map((s) => `--${s.name}`).join(', ');
  const unknown = (typed: string, name: string): UsageError => {
    const guess = nearestName(name, specs.map((s) => s.name));
    return new UsageError(`unknown option ${typed} for "${command}"; ${guess ? `did you mean --${guess}? ` : ''}valid options: ${valid()}`);
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (token.startsWith('--') && token.length > 2) {
      const eq = token.indexOf('=');
      const name = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
      spec = byName.get(name);
      if (!spec) throw unknown(`--${name}`, name);
    } else if (/^-[A-Za-z]$/.test(token)) {
      spec = byShort.get(token.slice(1));
      if (!spec) throw unknown(token, token.slice(1));
    } else {
      positionals.push(token);
      continue;
    }

    if (options.has(spec.name) && !spec.repeatable) throw new UsageError(`option --${spec.name} is given more than once`);
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new UsageError(`option --${spec.name} takes no value (got "${inline}")`);
      options.set(spec.name, 'true');
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      // A following option means the value was forgotten; no value of ours starts with "--".
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`option --${spec.name} needs a value (${spec.valueName ?? 'VALUE'})`);
      }
      value = next;
      i++;
    }
    if (value.trim() === '') throw new UsageError(`option --${spec.name} needs a non-empty value`);
    if (!options.has(spec.name)) options.set(spec.name, value);
    if (spec.repeatable) repeated.set(spec.name, [...(repeated.get(spec.name) ?? []), value]);
  }
  return { options, positionals, repeated };
}

/** A whole number >= min, or a usage error naming the option. */
export function integerOption(args: ParsedArgs, name: string, min: number): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\s*[+-]?\d+\s*$/.test(raw) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(`option --${name} must be an integer >= ${min} (got "${raw}")`);
  }
  return value;
}

/** A finite number > 0, or a usage error naming the option. */
export function positiveNumberOption(args: ParsedArgs, name: string): number | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`option --${name} must be a positive number (got "${raw}")`);
  }
  return value;
}

/** A comma-separated list of non-empty names. */
export function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const raw = args.options.get(name);
  if (raw === undefined) return undefined;
  const items = raw.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new UsageError(`option --${name} must be a comma-separated list of column names (got "${raw}")`);
  }
  return items;
}

/** Help lines for an option table, aligned. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const heads = specs.map(
    (s) => `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.kind === 'value' ? ` ${s.valueName ?? 'VALUE'}` : ''}`,
  );
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return specs.map((s, i) => `  ${(heads[i] as string).padEnd(width)}${s.description}`).join('\n');
}
