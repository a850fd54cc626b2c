/** The command line itself is wrong (exit code 2), as opposed to the data or model (exit code 1). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super(message);
  }
}
