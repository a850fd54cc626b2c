/** Where the CLI writes; tests pass collectors, `main` passes the process streams. */
export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Environment to read GLMM_DEBUG from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (the progress line is drawn only there); default false. */
  readonly stderrIsTTY?: boolean;
  /** Width of that terminal. */
  readonly stderrColumns?: number;
  /** Clock for the progress line, in milliseconds; default performance.now. */
  readonly now?: () => number;
}
