import { UserError } from '../errors.js';
import { roundToAllowedDuration } from '../models/chunks.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ModelSpec } from '../models/types.js';
import type { CreateVideoRequest } from './types.js';

export const MIN_PAIR_IMAGES = 2;
export const MAX_PAIR_IMAGES = 20;
export const DEFAULT_CLIP_DURATION_S = 6;
const MAX_BRAND_CONTEXT_CHARS = 4000;

/** An image-pairs request after its synchronous checks (ownership is checked by the service). */
export interface CheckedPairsRequest {
  imageAssetIds: string[];
  brandContext: string | undefined;
  numPairs: number | undefined;
  /** The clip length asked, rounded to the model's allowed durations. */
  clipDurationS: number;
  /** The pairs estimated before picking: `numPairs`, else one fewer than the images. */
  estimatedPairs: number;
}

/**
 * The image-pairs fields of a create request: 2–20 distinct image asset ids, a model with a
 * last-frame input (the message lists those that have one), `numPairs` a whole number in
 * 1–(images × (images − 1)), `clipDurationS` positive (default 6 s) rounded to the model's
 * allowed durations. @throws UserError with a stable code; nothing is written before this.
 */
export function validatePairsRequest(
  req: CreateVideoRequest,
  model: ModelSpec,
  registry: ModelRegistry,
): CheckedPairsRequest {
  const ids = req.imageAssetIds;
  if (!Array.isArray(ids) || ids.length < MIN_PAIR_IMAGES) {
    throw new UserError(
      'too_few_images',
      `Image pairs need at least ${MIN_PAIR_IMAGES} images; got ${Array.isArray(ids) ? ids.length : 0}.`,
      { details: { min: MIN_PAIR_IMAGES } },
    );
  }
  if (ids.length > MAX_PAIR_IMAGES) {
    throw new UserError(
      'too_many_images',
      `Image pairs take at most ${MAX_PAIR_IMAGES} images; got ${ids.length}. Drop some and try again.`,
      { details: { max: MAX_PAIR_IMAGES } },
    );
  }
  if (ids.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw new UserError('invalid_image', 'Every image must be an image asset id.');
  }
  if (new Set(ids).size !== ids.length) {
    throw new UserError('duplicate_image', 'Each image may be given once; remove the repeated asset id.');
  }
  if (!model.supports.lastFrame) {
    const withLastFrame = registry
      .list('video')
      .filter((m) => m.supports.lastFrame)
      .map((m) => m.key);
    throw new UserError(
      'model_without_last_frame',
      `Model '${model.key}' has no last-frame input, which image pairs need. Use one of: ${withLastFrame.join(', ')}.`,
      { details: { model: model.key, valid: withLastFrame } },
    );
  }
  const maxPairs = ids.length * (ids.length - 1);
  const numPairs = req.numPairs;
  if (numPairs !== undefined && !(Number.isInteger(numPairs) && numPairs >= 1 && numPairs <= maxPairs)) {
    throw new UserError(
      'invalid_num_pairs',
      `The number of pairs must be a whole number from 1 to ${maxPairs} for ${ids.length} images; got ${String(numPairs)}.`,
      { details: { max: maxPairs } },
    );
  }
  const wanted = req.clipDurationS ?? DEFAULT_CLIP_DURATION_S;
  if (typeof wanted !== 'number' || !Number.isFinite(wanted) || wanted <= 0 || wanted > 60) {
    throw new UserError(
      'invalid_clip_duration',
      `The clip duration must be a number of seconds above 0 and at most 60; got ${String(wanted)}.`,
    );
  }
  const context = typeof req.brandContext === 'string' ? req.brandContext.trim() : undefined;
  if (context !== undefined && [...context].length > MAX_BRAND_CONTEXT_CHARS) {
    throw new UserError(
      'brand_context_too_long',
      `The brand context is longer than ${MAX_BRAND_CONTEXT_CHARS} characters; shorten it.`,
    );
  }
  return {
    imageAssetIds: [...ids],
    brandContext: context || undefined,
    numPairs,
    clipDurationS: roundToAllowedDuration(model, wanted),
    estimatedPairs: numPairs ?? ids.length - 1,
  };
}

/** The prompt an image-pairs video keeps when the user gives none. */
export const DEFAULT_PAIRS_PROMPT = 'Smooth transition between images';
