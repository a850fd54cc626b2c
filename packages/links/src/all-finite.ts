/** True when every value is finite and satisfies `ok`. */
export function allFinite(values: Float64Array, ok: (v: number) => boolean = () => true): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v) || !ok(v)) return false;
  }
  return true;
}
