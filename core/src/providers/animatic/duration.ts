import { UserError } from '../../errors.js';
import { roundToAllowedDuration } from '../../models/chunks.js';
import type { ModelSpec } from '../../models/types.js';

/**
 * Seconds a real call of `model` would output when asked for `requestedS`, which is what an animatic
 * clip lasts: the allowed duration nearest `requestedS` (a tie goes to the longer one) when the model
 * lets you choose (`allowedDurationsS`), else its fixed `actualChunkDurationS`, else `requestedS`
 * itself (a model with a free duration).
 * @throws UserError `animatic_invalid_request` unless `requestedS` is a finite number > 0.
 */
export function animaticOutputDurationS(model: ModelSpec, requestedS: number): number {
  if (!Number.isFinite(requestedS) || requestedS <= 0) {
    throw new UserError(
      'animatic_invalid_request',
      `durationS must be a positive number of seconds, got ${requestedS}`,
    );
  }
  const hasFacts = (model.allowedDurationsS?.length ?? 0) > 0 || model.actualChunkDurationS !== undefined;
  return hasFacts ? roundToAllowedDuration(model, requestedS) : requestedS;
}
