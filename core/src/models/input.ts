import { UserError } from '../errors.js';
import { roundToAllowedDuration } from './chunks.js';
import type { ModelParamNames, ModelSpec } from './types.js';

/** What a caller wants sent, in our names. Files are URIs the model can fetch (https or data URL). */
export interface ModelInputParams {
  prompt?: string;
  negativePrompt?: string;
  firstFrame?: string;
  lastFrame?: string;
  /** Seconds wanted; rounded to what the model accepts. */
  durationS?: number;
  seed?: number;
  /** Image models: how many images wanted from this call. */
  count?: number;
  reference?: string;
  video?: string;
  audio?: string;
}

export interface ModelInput {
  /** The prediction's `input`, keyed by the model's own names, fixed inputs included. */
  input: Record<string, unknown>;
  /** Inputs given that this model has no place for (a first frame to a text-only model): warn. */
  dropped: Array<keyof ModelInputParams>;
  /** Seconds actually asked, after rounding; absent when the model takes no duration. */
  durationS?: number;
  /** Image models: outputs actually asked, after clamping to `maxOutputs` (1 without a count input). */
  count?: number;
}

const PASSED_THROUGH = [
  'prompt',
  'negativePrompt',
  'firstFrame',
  'lastFrame',
  'seed',
  'reference',
  'video',
  'audio',
] as const;

/**
 * Maps our input names to `model`'s, starting from its `fixedInputs` (resolution, audio, frame
 * counts). Durations are rounded to an allowed value for video (see `roundToAllowedDuration`) or
 * rounded up to whole seconds within [1, maxDurationS] for music; without one, `defaultDurationS`
 * (else the shortest allowed duration) is sent so a model never runs at its own default length.
 * A duration given to a model without a duration input is omitted silently (its length is fixed);
 * any other input the model lacks is omitted and listed in `dropped`. Empty strings count as absent.
 * Throws UserError `missing_model_input` when the model cannot run without something missing: a
 * prompt (video, image, music), a first frame (video models without text-to-video), a video and an
 * audio (lipsync).
 */
export function buildModelInput(model: ModelSpec, params: ModelInputParams): ModelInput {
  requireInputs(model, params);
  const input: Record<string, unknown> = { ...model.fixedInputs };
  const dropped: Array<keyof ModelInputParams> = [];
  for (const ours of PASSED_THROUGH) {
    const value = params[ours];
    if (value === undefined || value === '') continue;
    const theirs = model.params[ours];
    if (theirs === undefined) dropped.push(ours);
    else input[theirs] = value;
  }

  const durationS = durationToSend(model, params.durationS);
  if (durationS !== undefined && model.params.duration) input[model.params.duration] = durationS;

  let count: number | undefined;
  if (model.kind === 'image') {
    count = Math.min(Math.max(1, Math.floor(params.count ?? 1)), model.maxOutputs ?? 1);
    if (model.params.count) input[model.params.count] = count;
  }
  if (params.count !== undefined && params.count > 1 && !model.params.count) dropped.push('count');

  return {
    input,
    dropped,
    ...(durationS === undefined ? {} : { durationS }),
    ...(count === undefined ? {} : { count }),
  };
}

function durationToSend(model: ModelSpec, wanted: number | undefined): number | undefined {
  if (!model.params.duration) return undefined;
  if (model.kind === 'video' && model.allowedDurationsS) {
    return roundToAllowedDuration(model, wanted ?? model.defaultDurationS ?? (model.allowedDurationsS[0] as number));
  }
  const seconds = wanted ?? model.defaultDurationS ?? model.maxDurationS;
  if (seconds === undefined) return undefined;
  const whole = Math.max(1, Math.ceil(seconds - 1e-9));
  return model.maxDurationS === undefined ? whole : Math.min(whole, Math.floor(model.maxDurationS));
}

function requireInputs(model: ModelSpec, params: ModelInputParams): void {
  const missing: Array<keyof ModelParamNames> = [];
  if (model.kind !== 'lipsync' && !params.prompt?.trim()) missing.push('prompt');
  if (model.kind === 'video' && !model.supports.textToVideo && !params.firstFrame) missing.push('firstFrame');
  if (model.kind === 'lipsync') {
    if (!params.video) missing.push('video');
    if (!params.audio) missing.push('audio');
  }
  if (missing.length === 0) return;
  const why = missing.includes('firstFrame') ? ' (it does not do text-to-video)' : '';
  throw new UserError(
    'missing_model_input',
    `Model '${model.key}' needs ${missing.map(describe).join(' and ')}${why}.`,
    {
      details: { model: model.key, missing },
    },
  );
}

const DESCRIPTIONS: Partial<Record<keyof ModelParamNames, string>> = {
  prompt: 'a prompt',
  firstFrame: 'a first-frame image',
  video: 'a video',
  audio: 'an audio track',
};

function describe(name: keyof ModelParamNames): string {
  return DESCRIPTIONS[name] ?? name;
}
