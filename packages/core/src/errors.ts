import { nearestName } from './nearest-name.js';

/**
 * Bad input from the user: the message is one line naming the column, the
 * row count and the reason, and front ends print it without a stack trace.
 */
export class GlmmInputError extends Error {
  override readonly name = 'GlmmInputError';
  constructor(message: string) {
    super(message);
  }
}

/** A plugin was asked for by name but is not registered. */
export class PluginNotFoundError extends GlmmInputError {
  constructor(
    readonly kind: string,
    readonly requested: string,
    readonly loaded: readonly string[],
  ) {
    const guess = nearestName(requested, loaded);
    super(
      `unknown ${kind} "${requested}"${guess ? ` (did you mean "${guess}"?)` : ''}; loaded ${kind} plugins: ${loaded.length ? loaded.join(', ') : '(none)'}`,
    );
  }
}

/** The caller's AbortSignal fired during a fit: not a bug, and not the user's data. */
export class FitAbortedError extends Error {
  override readonly name = 'FitAbortedError';
  constructor(reason?: unknown) {
    super(`fit aborted${reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : ''}`);
  }
}
