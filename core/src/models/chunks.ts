import { PermanentError, UserError } from '../errors.js';
import type { ModelSpec } from './types.js';

/**
 * How many model generations ("chunks") cover a scene, and how long each is. All durations are
 * seconds; costs are USD estimates from the registry.
 */

/** The longest scene the planner accepts (seconds). */
export const MAX_SCENE_DURATION_S = 3600;

const RATIO_EPSILON = 1e-9;
const TIE_EPSILON_S = 1e-9;
const STEP_SCALE = 1000;

export interface PlannedChunk {
  /** 0-based position in the scene. */
  index: number;
  /** The duration to ask the model for (its own fixed length for models without a choice). */
  requestedDurationS: number;
  /** What the model is expected to output. */
  outputDurationS: number;
}

export interface ChunkPlan {
  /** Longest first for models with several durations; the order to generate and stitch them. */
  chunks: PlannedChunk[];
  totalOutputS: number;
  /** `totalOutputS - sceneDurationS`: trimmed away at assembly; always below the longest chunk. */
  surplusS: number;
  /** Estimated USD: per-second models bill each chunk's output seconds, per-run models each call. */
  costUsd: number;
}

/**
 * Plans the chunks of one scene. A model with one output length needs
 * `ceil(scene / actualChunkDurationS)` chunks (30 s on wan → 6; a ratio within 1e-9 of a whole
 * number is not rounded up). A model with several durations gets the combination that covers the
 * scene with the least surplus, then the least cost, then the fewest calls, longest chunks first
 * (15 s on veo 4|6|8 → 8+8; on hailuo 6|10 → 10+6). Throws UserError `invalid_duration` for a
 * scene that is not a positive number of seconds up to MAX_SCENE_DURATION_S, and PermanentError for
 * a model that is not a video model.
 */
export function planChunks(model: ModelSpec, sceneDurationS: number): ChunkPlan {
  if (!Number.isFinite(sceneDurationS) || sceneDurationS <= 0 || sceneDurationS > MAX_SCENE_DURATION_S) {
    throw new UserError(
      'invalid_duration',
      `A scene must last more than 0 and at most ${MAX_SCENE_DURATION_S} seconds (got ${sceneDurationS}).`,
      { details: { sceneDurationS } },
    );
  }
  const lengths = model.allowedDurationsS
    ? bestCombination(model.allowedDurationsS, sceneDurationS)
    : repeatFixedLength(videoChunkLength(model), sceneDurationS);
  const chunks = lengths.map((seconds, index) => ({ index, requestedDurationS: seconds, outputDurationS: seconds }));
  const totalOutputS = tidy(lengths.reduce((sum, seconds) => sum + seconds, 0));
  const costUsd = tidy(model.cost.unit === 'second' ? totalOutputS * model.cost.usd : chunks.length * model.cost.usd);
  return { chunks, totalOutputS, surplusS: Math.max(0, tidy(totalOutputS - sceneDurationS)), costUsd };
}

/** The number of generations `planChunks` would make for a scene of `sceneDurationS` seconds. */
export function chunkCount(model: ModelSpec, sceneDurationS: number): number {
  return planChunks(model, sceneDurationS).chunks.length;
}

/**
 * The duration (seconds) to ask a video model for when `seconds` is wanted: the nearest allowed
 * duration, a tie going to the longer one (veo 4|6|8 asked 5 → 6; hailuo 6|10 asked 7 → 6, asked
 * 8 → 10), clamped to the shortest / longest allowed. A model with one output length always
 * answers its `actualChunkDurationS`.
 */
export function roundToAllowedDuration(model: ModelSpec, seconds: number): number {
  if (Number.isNaN(seconds)) throw new UserError('invalid_duration', 'A duration must be a number of seconds.');
  const allowed = model.allowedDurationsS;
  if (!allowed || allowed.length === 0) return videoChunkLength(model);
  let best = allowed[0] as number;
  for (const candidate of allowed) {
    const gap = Math.abs(candidate - seconds);
    const bestGap = Math.abs(best - seconds);
    if (gap < bestGap - TIE_EPSILON_S || (Math.abs(gap - bestGap) <= TIE_EPSILON_S && candidate > best))
      best = candidate;
  }
  return best;
}

function videoChunkLength(model: ModelSpec): number {
  if (model.actualChunkDurationS !== undefined) return model.actualChunkDurationS;
  throw new PermanentError(
    `Model '${model.key}' (${model.kind}) has no chunk duration facts; chunks are for video models.`,
  );
}

function repeatFixedLength(chunkS: number, sceneDurationS: number): number[] {
  const count = Math.max(1, Math.ceil(sceneDurationS / chunkS - RATIO_EPSILON));
  return Array.from({ length: count }, () => chunkS);
}

/**
 * Fewest calls reaching each exact total (in steps of the durations' common divisor); the answer
 * is the smallest reachable total covering the scene. Per-second and per-run costs both depend
 * only on (total, calls), so least surplus → least cost → fewest calls is this order.
 */
function bestCombination(allowed: readonly number[], sceneDurationS: number): number[] {
  const units = allowed.map((seconds) => Math.max(1, Math.round(seconds * STEP_SCALE)));
  const unit = units.reduce(gcd);
  const steps = units.map((u) => u / unit);
  const target = Math.max(1, Math.ceil((sceneDurationS * STEP_SCALE) / unit - RATIO_EPSILON));
  const limit = target + Math.max(...steps);
  const calls = new Int32Array(limit).fill(-1);
  calls[0] = 0;
  for (let total = 1; total < limit; total++) {
    for (const step of steps) {
      const before = total - step;
      const previous = before >= 0 ? (calls[before] as number) : -1;
      if (previous >= 0 && ((calls[total] as number) < 0 || previous + 1 < (calls[total] as number))) {
        calls[total] = previous + 1;
      }
    }
  }
  let total = target;
  while ((calls[total] as number) < 0) total++;
  const byLength = steps.map((step, i) => ({ step, seconds: allowed[i] as number })).sort((a, b) => b.step - a.step);
  const picked: number[] = [];
  for (let left = calls[total] as number; left > 0; left--) {
    const next = byLength.find(({ step }) => total - step >= 0 && calls[total - step] === left - 1);
    if (!next) throw new PermanentError('chunk planner found no combination it had counted');
    picked.push(next.seconds);
    total -= next.step;
  }
  return picked.sort((a, b) => b - a);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function tidy(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
