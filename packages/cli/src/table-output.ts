import { alignTable, formatNumber, formatPValue } from '@glmm/report';

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

export const num = (v: number | null, digits = 5): string => (v === null ? '' : formatNumber(v, digits));
export const pval = (p: number): string => formatPValue(p);

/** JSON on one document, ending with a newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
