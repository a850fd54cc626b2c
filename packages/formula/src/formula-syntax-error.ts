import { GlmmInputError } from '@glmm/core';

/** A formula that does not parse; the message gives the 1-based character position. */
export class FormulaSyntaxError extends GlmmInputError {
  constructor(
    readonly position: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`formula error at position ${position}: expected ${expected} but found ${found}`);
  }
}
