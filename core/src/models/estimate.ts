import { PermanentError } from '../errors.js';
import { planChunks } from './chunks.js';
import type { CostUnit, ModelKind, ModelSpec } from './types.js';

/** How much one call produces: seconds of output (per-second models), images, or runs. */
export interface CallQuantity {
  outputSeconds?: number;
  images?: number;
  runs?: number;
}

/**
 * Estimated USD of one call (or of `runs` calls) from the registry price. Per-second models need
 * `outputSeconds` (bill what the model outputs, not what was asked); per-image models default to
 * one image, per-run models to one run. Throws PermanentError on a missing or negative quantity.
 */
export function estimateCallCost(model: ModelSpec, quantity: CallQuantity = {}): number {
  return tidyUsd(quantityOf(model, quantity) * model.cost.usd);
}

export interface VideoCostParams {
  video: ModelSpec;
  image: ModelSpec;
  /** Absent when the video gets no generated music (the user brought a track). */
  music?: ModelSpec;
  /** The planned length of each scene (seconds). */
  sceneDurationsS: readonly number[];
  /** Storyboard frames to generate; one per scene when absent. */
  storyboardImages?: number;
  /** Seconds of music to generate (capped at the model's maxDurationS); no music line when 0 or absent. */
  musicDurationS?: number;
}

export interface CostLine {
  kind: ModelKind;
  /** Registry key. */
  model: string;
  /** How much is billed, in `unit`s (output seconds, images, or runs). */
  quantity: number;
  unit: CostUnit;
  /** Model calls (predictions) behind the line. */
  calls: number;
  usd: number;
}

export interface VideoCostEstimate {
  totalUsd: number;
  lines: CostLine[];
}

/**
 * Estimated USD of a whole video before it runs: every scene's chunks (`planChunks`, so a 15 s
 * scene on hailuo bills 10 + 6 output seconds), the storyboard images, and one music call. Lines
 * with nothing to bill are left out.
 */
export function estimateVideoCost(params: VideoCostParams): VideoCostEstimate {
  const lines: CostLine[] = [];
  const plans = params.sceneDurationsS.map((seconds) => planChunks(params.video, seconds));
  const chunks = plans.reduce((sum, plan) => sum + plan.chunks.length, 0);
  if (chunks > 0) {
    const outputSeconds = plans.reduce((sum, plan) => sum + plan.totalOutputS, 0);
    lines.push(
      line('video', params.video, params.video.cost.unit === 'second' ? outputSeconds : chunks, chunks, {
        outputSeconds,
        runs: chunks,
      }),
    );
  }

  const images = params.storyboardImages ?? params.sceneDurationsS.length;
  if (images > 0) {
    lines.push(line('image', params.image, images, images, { images, runs: images }));
  }

  const music = params.music;
  if (music && params.musicDurationS && params.musicDurationS > 0) {
    const seconds = Math.min(params.musicDurationS, music.maxDurationS ?? Number.POSITIVE_INFINITY);
    lines.push(
      line('music', music, music.cost.unit === 'second' ? seconds : 1, 1, { outputSeconds: seconds, runs: 1 }),
    );
  }

  return { totalUsd: tidyUsd(lines.reduce((sum, l) => sum + l.usd, 0)), lines };
}

function line(kind: ModelKind, model: ModelSpec, quantity: number, calls: number, amount: CallQuantity): CostLine {
  return {
    kind,
    model: model.key,
    quantity: tidy(quantity),
    unit: model.cost.unit,
    calls,
    usd: estimateCallCost(model, amount),
  };
}

function quantityOf(model: ModelSpec, quantity: CallQuantity): number {
  const value =
    model.cost.unit === 'second'
      ? quantity.outputSeconds
      : model.cost.unit === 'image'
        ? (quantity.images ?? 1)
        : (quantity.runs ?? 1);
  if (value === undefined || !Number.isFinite(value) || value < 0) {
    throw new PermanentError(
      `Cannot estimate '${model.key}' (billed per ${model.cost.unit}) from ${JSON.stringify(quantity)}: need a quantity ≥ 0.`,
    );
  }
  return value;
}

function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function tidyUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
