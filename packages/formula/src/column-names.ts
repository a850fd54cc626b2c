import { GlmmInputError } from '@glmm/core';

/** A name as an error message quotes it: long names (a binary header, say) are cut. */
export function quoteName(name: string): string {
  return JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}...` : name);
}

/**
 * Column names from a header row: trimmed; a blank name becomes "X" (then
 * "X.1", ...) as in R's read.csv. Two columns with the same name are an
 * error naming them: which one a formula meant cannot be known, and reading
 * the first silently would fit the wrong data.
 */
export function uniqueColumnNames(raw: readonly string[]): string[] {
  const names = raw.map((h) => h.trim());
  assertUniqueNames(names.filter((n) => n !== ''), names);
  const used = new Set(names);
  return names.map((name) => {
    if (name !== '') return name;
    let blank = 'X';
    for (let k = 1; used.has(blank); k++) blank = `X.${k}`;
    used.add(blank);
    return blank;
  });
}

/** Throws when a name occurs twice; `all` (default `names`) gives the column positions for the message. */
export function assertUniqueNames(names: readonly string[], all: readonly string[] = names): void {
  if (new Set(names).size === names.length) return;
  const positions = new Map<string, number[]>();
  all.forEach((n, j) => positions.set(n, [...(positions.get(n) ?? []), j + 1]));
  const dups = [...positions].filter(([n, at]) => n !== '' && at.length > 1);
  const shown = dups.slice(0, 5).map(([n, at]) => `${quoteName(n)} (columns ${at.join(', ')})`);
  const more = dups.length > 5 ? `, and ${dups.length - 5} more` : '';
  throw new GlmmInputError(
    `duplicate column name${dups.length > 1 ? 's' : ''} ${shown.join(', ')}${more}; every column needs its own name, so rename ${dups.length > 1 ? 'them' : 'it'}`,
  );
}
