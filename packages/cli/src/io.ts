/** Where the CLI writes; tests pass collectors, `main` passes the process streams. */
export interface CliIo {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Environment to read GLMM_DEBUG from; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
