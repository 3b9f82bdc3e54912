import type { ModelSpec } from '../../models/types.js';

/** What one call produced, in the units a model may be billed by. */
export interface BilledOutput {
  /** Images returned (image-billed models). */
  images?: number;
  /** Seconds of output (second-billed models). */
  seconds?: number;
}

/**
 * USD the real `model` would have charged for a call that produced `output`: `cost.usd` per run, per
 * image, or per second of output; rounded to a millionth of a dollar so sums stay clean.
 */
export function wouldCostUsd(model: ModelSpec, output: BilledOutput): number {
  const { unit, usd } = model.cost;
  const units = unit === 'run' ? 1 : unit === 'image' ? (output.images ?? 1) : (output.seconds ?? 0);
  return Math.round(usd * units * 1e6) / 1e6;
}
