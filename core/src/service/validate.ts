import { UserError } from '../errors.js';
import { listFlavors } from '../flavors/catalog.js';
import type { ModelRegistry } from '../models/registry.js';
import type { ModelSpec } from '../models/types.js';
import {
  checkCharacterDescription,
  checkCreativity,
  checkDuration,
  checkMode,
  checkPrompt,
  DEFAULT_DURATION_S,
} from '../plan/plan-request.js';
import type { CreateVideoRequest } from './types.js';
import { type CheckedPairsRequest, DEFAULT_PAIRS_PROMPT, validatePairsRequest } from './validate-pairs.js';

export type { PlanRequest } from '../plan/plan-request.js';

export interface CheckedCreateRequest {
  prompt: string;
  durationS: number;
  mode: 'ad' | 'music_video' | 'image_pairs';
  model: ModelSpec;
  flavor: string;
  creativity: number;
  characterDescription: string | undefined;
  hasImage: boolean;
  /** Image-pairs mode only. */
  pairs?: CheckedPairsRequest;
}

const DEFAULT_CREATIVITY = 0.5;

/**
 * Every field of a create request checked before anything is written or paid: the planner's rules
 * for prompt, duration, mode and creativity; the model must be a video model in the registry and
 * the flavor must exist (both errors list the valid values).
 */
export function validateCreateRequest(
  req: CreateVideoRequest,
  registry: ModelRegistry,
  defaultModel: string,
): CheckedCreateRequest {
  if (req.mode === 'image_pairs') return validatePairsCreate(req, registry, defaultModel);
  const prompt = checkPrompt(req.prompt);
  const durationS = checkDuration(req.durationS ?? DEFAULT_DURATION_S);
  const mode = checkMode(req.mode);
  const creativity = checkCreativity(req.creativity) ?? DEFAULT_CREATIVITY;
  const characterDescription = checkCharacterDescription(req.characterDescription);
  const model = registry.get(req.model ?? defaultModel, 'video');
  const flavor = req.flavor === undefined ? 'default' : checkFlavor(req.flavor);
  return {
    prompt,
    durationS,
    mode,
    model,
    flavor,
    creativity,
    characterDescription,
    hasImage: req.imageAssetId !== undefined,
  };
}

/** A flavor name that exists. @throws UserError `unknown_flavor` listing the valid names. */
export function checkFlavor(name: unknown): string {
  const names = listFlavors().map((flavor) => flavor.name);
  if (typeof name === 'string' && names.includes(name)) return name;
  throw new UserError('unknown_flavor', `Unknown flavor '${String(name)}'. Valid: ${names.join(', ')}.`, {
    details: { valid: names },
  });
}

/** A prompt edit for a scene: same rules as a video's prompt. */
export function validatePrompt(prompt: unknown): string {
  return checkPrompt(prompt);
}

/** A 1-based scene number within 1..count. @throws UserError `scene_out_of_range`. */
export function validateSceneIndex(value: unknown, count: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > count) {
    throw new UserError(
      'scene_out_of_range',
      `Scene ${String(value)} does not exist; this video has scenes 1–${count}.`,
      { details: { count } },
    );
  }
  return value;
}

/** An image-pairs create: the prompt may be blank (a neutral transition prompt is used). */
function validatePairsCreate(
  req: CreateVideoRequest,
  registry: ModelRegistry,
  defaultModel: string,
): CheckedCreateRequest {
  const prompt =
    typeof req.prompt === 'string' && req.prompt.trim() !== '' ? checkPrompt(req.prompt) : DEFAULT_PAIRS_PROMPT;
  const model = registry.get(req.model ?? defaultModel, 'video');
  const pairs = validatePairsRequest(req, model, registry);
  return {
    prompt,
    durationS: pairs.estimatedPairs * pairs.clipDurationS,
    mode: 'image_pairs',
    model,
    flavor: req.flavor === undefined ? 'default' : checkFlavor(req.flavor),
    creativity: checkCreativity(req.creativity) ?? DEFAULT_CREATIVITY,
    characterDescription: undefined,
    hasImage: false,
    pairs,
  };
}
