/**
 * Throws when a value that will be serialised contains NaN or an infinity:
 * JSON.stringify would silently turn it into null and break the contract.
 * The message names the path of the first offending number.
 */
export function assertJsonSafe(value: unknown, path = 'results'): void {
  // The walk builds no path strings and no entry arrays (results hold one row
  // object per random-effect level); the path is traced only on failure.
  if (isJsonSafe(value)) return;
  const first = nonFinitePaths(value, path)[0] ?? `${path} holds a number`;
  throw new Error(`${first}, which JSON cannot represent`);
}

/** x - x is 0 for every finite number and NaN for NaN and the infinities. */
function isFiniteNumber(x: number): boolean {
  return x - x === 0;
}

/** Whether every number in a value is finite (the test assertJsonSafe and nonFinitePaths share). */
function isJsonSafe(value: unknown): boolean {
  if (typeof value === 'number') return isFiniteNumber(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'number' ? !isFiniteNumber(v) : !isJsonSafe(v)) return false;
    }
    return true;
  }
  // Object.keys visits what Object.entries (and so nonFinitePaths) visits, in the same order.
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const v = obj[keys[i]!];
    if (typeof v === 'number' ? !isFiniteNumber(v) : !isJsonSafe(v)) return false;
  }
  return true;
}

/**
 * Index of the first NaN or infinity in a typed column, or -1.  The test
 * runs at memory speed: x - x is 0 for finite x and NaN otherwise, so one
 * branch-free sum over the column says whether it is clean, and only a dirty
 * column is searched element by element.
 */
export function firstNonFinite(col: Float64Array): number {
  const n = col.length;
  const m = n - (n % 4);
  let s = blockSum(col, m);
  for (let i = m; i < n; i++) s += col[i]! - col[i]!;
  if (s === 0) return -1;
  for (let i = 0; i < n; i++) if (!isFiniteNumber(col[i]!)) return i;
  return -1;
}

/**
 * sum (x - x) over col[0 .. m), m a multiple of 4.  The four differences of a
 * block are added among themselves first, so the running sum (one long
 * dependency chain) takes one addition per four elements.  The loop is all
 * the function holds: V8 compiles a long loop on the stack before the code
 * after it has run, and such code without type feedback would deoptimise on
 * every call.
 */
function blockSum(col: Float64Array, m: number): number {
  let s = 0;
  for (let i = 0; i < m; i += 4) {
    const x0 = col[i]!;
    const x1 = col[i + 1]!;
    const x2 = col[i + 2]!;
    const x3 = col[i + 3]!;
    s += x0 - x0 + (x1 - x1) + (x2 - x2 + (x3 - x3));
  }
  return s;
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
