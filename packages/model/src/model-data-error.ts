import { GlmmInputError } from '@glmm/core';

/**
 * A method needs the data the model was fitted to, and the model (loaded
 * from a file) does not hold them: the message names what to pass.
 */
export class ModelDataRequiredError extends GlmmInputError {
  constructor(readonly what: string, readonly needs: 'response' | 'design') {
    super(
      `${what} needs the ${needs === 'response' ? 'data the model was fitted to' : 'rows the model was fitted to'}, which this model does not hold (it was saved without them); pass the data with loadModel(json, { data }) (CLI: --data FILE.csv)`,
    );
  }
}
