/** Column alignment for the text reporters. */

export type Align = 'left' | 'right';

/** Lays out a table of strings with a header row, columns separated by `gap` spaces. */
export function alignTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[], gap = 2): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (align[c] === 'left' ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
