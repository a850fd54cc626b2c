/** The caller's buffer when given (so PIRLS can reuse it), otherwise a fresh one. */
export function outputBuffer(n: number, out?: Float64Array): Float64Array {
  if (out === undefined) return new Float64Array(n);
  if (out.length < n) throw new RangeError(`output buffer holds ${out.length} values, ${n} needed`);
  return out;
}
