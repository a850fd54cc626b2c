/** Rounding as R's round() and R_forceint (IEC 60559: halves go to the even neighbour). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** R's test for a value that should be an integer (R_nonint): off by more than 1e-7 relative. */
export function isNonInteger(x: number): boolean {
  return Math.abs(x - roundHalfEven(x)) > 1e-7 * Math.max(1, Math.abs(x));
}
