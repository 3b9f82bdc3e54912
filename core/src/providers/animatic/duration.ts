import { UserError } from '../../errors.js';
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
  const allowed = (model.allowedDurationsS ?? []).filter((s) => Number.isFinite(s) && s > 0);
  if (allowed.length > 0) return nearestTiesUp(allowed, requestedS);
  if (model.actualChunkDurationS !== undefined && model.actualChunkDurationS > 0) return model.actualChunkDurationS;
  return requestedS;
}

function nearestTiesUp(allowed: readonly number[], requestedS: number): number {
  let best = allowed[0] ?? requestedS;
  for (const candidate of allowed) {
    const distance = Math.abs(candidate - requestedS);
    const bestDistance = Math.abs(best - requestedS);
    if (distance < bestDistance || (distance === bestDistance && candidate > best)) best = candidate;
  }
  return best;
}
