import { alignTable, formatPValueR, formatRNumber } from '@glmm/report';

/** CSV text: a header and rows; cells quoted where they hold a comma, quote or newline. */
export function csvText(header: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null): string => {
    if (v === null) return '';
    const s = typeof v === 'number' ? String(v) : v;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** A text table (first column left-aligned), indented by one space. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const align = header.map((_, i) => (i === 0 ? ('left' as const) : ('right' as const)));
  return alignTable(header, rows, align).map((l) => ` ${l}`);
}

/** One number as R prints it alone with `digits` significant digits (the summary's formatting rules). */
export const num = (v: number | null, digits = 5): string => (v === null ? '' : formatRNumber(v, digits).trim());
/** A p-value as R's format.pval with 4 digits: "<2e-16" style below machine precision. */
export const pval = (p: number): string => formatPValueR([p], 4)[0]!.trim();

/** JSON on one document, ending with a newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
