import type { ModelSpec } from '../../models/types.js';

/**
 * What each output of one prediction cost, USD, from the registry price: per second of that
 * output's probed duration, per image, or the run's price split evenly across its outputs (so the
 * parts add up to one run). Rounded to a millionth of a dollar.
 */
export function outputCostsUsd(model: ModelSpec, outputs: ReadonlyArray<{ durationS?: number | undefined }>): number[] {
  const { unit, usd } = model.cost;
  const share = (value: number) => Math.round(value * 1e6) / 1e6;
  if (unit === 'second') return outputs.map((output) => share(usd * (output.durationS ?? 0)));
  if (unit === 'image') return outputs.map(() => share(usd));
  return outputs.map(() => share(usd / Math.max(1, outputs.length)));
}
