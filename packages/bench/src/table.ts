/** One printed row; null cells print as "-". */
export interface TableRow {
  readonly name: string;
  readonly n: number | null;
  readonly oursLoad: number | null;
  readonly oursFit: number | null;
  readonly oursTotal: number | null;
  readonly oursRssMB: number | null;
  readonly lme4Load: number | null;
  readonly lme4Fit: number | null;
  readonly lme4RssMB: number | null;
  readonly ratio: number | null;
  readonly absLogLikDiff: number | null;
  readonly maxBetaDiffOverSE: number | null;
  readonly flag: string;
}

const HEADERS = [
  'case',
  'n',
  'load s',
  'fit s',
  'total s',
  'RSS MB',
  'R load s',
  'R fit s',
  'R RSS MB',
  'R/ours',
  '|dlogLik|',
  'max|db|/SE',
  'flag',
] as const;

/** Seconds with about three significant digits, never in exponent form. */
export function formatSeconds(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return '-';
  if (v < 1) return v.toFixed(3);
  if (v < 100) return v.toFixed(2);
  return v.toFixed(1);
}

/** Discrepancies: "0" when exact, else two significant digits in exponent form. */
export function formatSmall(v: number | null): string {
  if (v === null || Number.isNaN(v)) return '-';
  if (v === 0) return '0';
  return v.toExponential(1);
}

function formatInt(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '-' : Math.round(v).toString();
}

function formatRatio(v: number | null): string {
  return v === null || !Number.isFinite(v) ? '-' : v.toFixed(2);
}

export function rowCells(r: TableRow): string[] {
  return [
    r.name,
    formatInt(r.n),
    formatSeconds(r.oursLoad),
    formatSeconds(r.oursFit),
    formatSeconds(r.oursTotal),
    formatInt(r.oursRssMB),
    formatSeconds(r.lme4Load),
    formatSeconds(r.lme4Fit),
    formatInt(r.lme4RssMB),
    formatRatio(r.ratio),
    formatSmall(r.absLogLikDiff),
    formatSmall(r.maxBetaDiffOverSE),
    r.flag,
  ];
}

/**
 * Aligned plain-text table: the case name and flag left-aligned, numbers
 * right-aligned, columns separated by two spaces, a dashed rule under the header.
 */
export function formatTable(rows: readonly TableRow[]): string {
  const body = rows.map(rowCells);
  const all = [HEADERS as readonly string[], ...body];
  const widths = HEADERS.map((_, j) => Math.max(...all.map((cells) => (cells[j] as string).length)));
  const last = HEADERS.length - 1;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (j === 0 || j === last ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEADERS), rule, ...body.map(line)].join('\n');
}
