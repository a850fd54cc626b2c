import type { GlmmResults, ReportRows } from '@glmm/core';

/**
 * The per-row layout of the random-effects terms for each results object
 * built in this process, kept beside it rather than in it: the contract stays
 * the JSON shape, and the terms are held only as long as the results are
 * (the lazy diagnostics keep them alive anyway).
 */
const rowsByResults = new WeakMap<GlmmResults, ReportRows>();

export function rememberReportRows(results: GlmmResults, rows: ReportRows): void {
  rowsByResults.set(results, rows);
}

/**
 * The rows a reporter needs for per-group plots of a fit made in this
 * process (front ends pass them on as `ReportContext.rows`); undefined for
 * results read back from JSON.
 */
export function reportRows(results: GlmmResults): ReportRows | undefined {
  return rowsByResults.get(results);
}
