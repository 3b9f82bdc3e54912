import type { ModelSpec } from '../../models/types.js';
import type { RenderedOutput } from './render.js';

/**
 * USD Replicate would charge for a prediction of `spec` that produced `output`, from the registry
 * price: per run, per image returned, or per second of output (probed from the rendered file).
 * Rounded to a millionth of a dollar.
 */
export function billedUsd(spec: ModelSpec, output: RenderedOutput): number {
  const { unit, usd } = spec.cost;
  const units = unit === 'run' ? 1 : unit === 'image' ? (output.images ?? output.files.length) : (output.seconds ?? 0);
  return Math.round(usd * units * 1e6) / 1e6;
}
