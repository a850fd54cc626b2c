/** Number formatting and column alignment shared by the text and HTML reporters. */

/** `x` to `digits` significant digits, plain notation unless very large or small; -0 prints as 0. */
export function formatNumber(x: number, digits = 5): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'NA';
  if (!Number.isFinite(x)) return x > 0 ? 'Inf' : '-Inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 10 ** Math.max(digits + 2, 7)) {
    // toPrecision may switch to exponent notation; rebuild from the decimal count instead.
    const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
    // Single values drop trailing zeros (34, not 34.0000); columns keep them for alignment.
    const s = x.toFixed(Math.min(decimals, 20)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
    return s === '-0' ? '0' : s;
  }
  return x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
}

/** p-values as R's coefficient tables print them: "<2e-16" below machine precision. */
export function formatPValue(p: number): string {
  if (p < 2.2e-16) return '<2e-16';
  if (p < 1e-4) return p.toExponential(2);
  return formatNumber(p, 4);
}

/** Fixed number of decimals for a whole column, chosen so its largest entry shows `digits` significant digits. */
export function formatColumn(values: readonly number[], digits = 5): string[] {
  const finite = values.filter((v) => Number.isFinite(v));
  const maxAbs = finite.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  if (maxAbs === 0 || maxAbs >= 1e9 || maxAbs < 1e-4) return values.map((v) => formatNumber(v, digits));
  const decimals = Math.min(10, Math.max(0, digits - 1 - Math.floor(Math.log10(maxAbs))));
  return values.map((v) => (Number.isFinite(v) ? fixedNoNegativeZero(v, decimals) : formatNumber(v)));
}

function fixedNoNegativeZero(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

export type Align = 'left' | 'right';

/** Lays out a table of strings with a header row, columns separated by two spaces. */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (align[c] === 'left' ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
