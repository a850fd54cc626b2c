/** The two printed tables: fits with the data in memory, and whole commands. Null cells print as "-". */
export interface FitRow {
  readonly name: string;
  readonly n: number | null;
  readonly oursLoad: number | null;
  readonly oursCold: number | null;
  readonly oursWarm: number | null;
  readonly lme4Load: number | null;
  readonly lme4Cold: number | null;
  readonly lme4Warm: number | null;
  readonly ratioCold: number | null;
  readonly ratioWarm: number | null;
  readonly absLogLikDiff: number | null;
  readonly maxBetaDiffOverSE: number | null;
  readonly flag: string;
}

export interface CommandRow {
  readonly name: string;
  readonly n: number | null;
  readonly text: number | null;
  readonly textRssMB: number | null;
  readonly json: number | null;
  readonly jsonRssMB: number | null;
  readonly lme4: number | null;
  readonly lme4RssMB: number | null;
  readonly ratioText: number | null;
  readonly ratioJson: number | null;
  readonly flag: string;
}

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
  return v === null || !Number.isFinite(v) ? '-' : v.toFixed(v < 100 ? 1 : 0);
}

export const FIT_HEADERS = [
  'case',
  'n',
  'load s',
  'cold s',
  'warm s',
  'R load s',
  'R cold s',
  'R warm s',
  'R/ours cold',
  'R/ours warm',
  '|dlogLik|',
  'max|db|/SE',
  'flag',
] as const;

export const COMMAND_HEADERS = ['case', 'n', 'text s', 'text MB', 'json s', 'json MB', 'R s', 'R MB', 'R/ours text', 'R/ours json', 'flag'] as const;

export function fitCells(r: FitRow): string[] {
  return [
    r.name,
    formatInt(r.n),
    formatSeconds(r.oursLoad),
    formatSeconds(r.oursCold),
    formatSeconds(r.oursWarm),
    formatSeconds(r.lme4Load),
    formatSeconds(r.lme4Cold),
    formatSeconds(r.lme4Warm),
    formatRatio(r.ratioCold),
    formatRatio(r.ratioWarm),
    formatSmall(r.absLogLikDiff),
    formatSmall(r.maxBetaDiffOverSE),
    r.flag,
  ];
}

export function commandCells(r: CommandRow): string[] {
  return [
    r.name,
    formatInt(r.n),
    formatSeconds(r.text),
    formatInt(r.textRssMB),
    formatSeconds(r.json),
    formatInt(r.jsonRssMB),
    formatSeconds(r.lme4),
    formatInt(r.lme4RssMB),
    formatRatio(r.ratioText),
    formatRatio(r.ratioJson),
    r.flag,
  ];
}

/**
 * Aligned plain-text table: the first and last columns (case name, flag)
 * left-aligned, numbers right-aligned, columns separated by two spaces, a
 * dashed rule under the header.
 */
export function formatAligned(headers: readonly string[], body: readonly (readonly string[])[]): string {
  const all = [headers, ...body];
  const widths = headers.map((_, j) => Math.max(...all.map((cells) => (cells[j] ?? '').length)));
  const last = headers.length - 1;
  const line = (cells: readonly string[]) =>
    cells
      .map((c, j) => (j === 0 || j === last ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(headers), rule, ...body.map(line)].join('\n');
}

export function formatFitTable(rows: readonly FitRow[]): string {
  return formatAligned(FIT_HEADERS, rows.map(fitCells));
}

export function formatCommandTable(rows: readonly CommandRow[]): string {
  return formatAligned(COMMAND_HEADERS, rows.map(commandCells));
}
