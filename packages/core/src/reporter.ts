import type { GlmmResults } from './results.js';

/** Renders the results contract in one output format (text, json, html, ...). */
export interface Reporter {
  /** Format name as the user types it: "text", "json", "html". */
  readonly name: string;
  render(results: GlmmResults): string;
}
