/**
 * Throws when a value that will be serialised contains NaN or an infinity:
 * JSON.stringify would silently turn it into null and break the contract.
 * The message names the path of the first offending number.
 */
export function assertJsonSafe(value: unknown, path = 'results'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}, which JSON cannot represent`);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    // Diagnostics hold millions of numbers: check them inline and build a path only on failure.
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) throw new Error(`${path}[${i}] is ${v}, which JSON cannot represent`);
      } else assertJsonSafe(v, `${path}[${i}]`);
    }
    return;
  }
  for (const [key, v] of Object.entries(value)) assertJsonSafe(v, `${path}.${key}`);
}

/** Paths of every NaN or infinite number in a value (empty when it is JSON-safe). */
export function nonFinitePaths(value: unknown, path = 'results', out: string[] = []): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} is ${value}`);
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) out.push(`${path}[${i}] is ${v}`);
      } else nonFinitePaths(v, `${path}[${i}]`, out);
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) nonFinitePaths(v, `${path}.${key}`, out);
  }
  return out;
}
