import { z } from 'zod';
import { CAMERA_MOVES } from '../../media/camera-moves.js';
import { SHOT_TYPES } from '../library.js';
import { BEAT_DURATIONS_S } from '../schema.js';

/**
 * The reduced plans an LLM is asked for (its structured-output schemas). They hold only what
 * needs judgement; timing, titles, direction prompts, negative prompts and the flavor are added
 * by `completeAdPlan` / `completeMusicVideoPlan`. Every property is required (optional ones are
 * nullable) and string lengths are left to `validatePlan`, so the schemas also work in OpenAI's
 * strict mode (which refuses `minLength`).
 */

const Text = z.string();
const BeatLength = z.literal(BEAT_DURATIONS_S).describe('seconds: 5, 10 or 15');
const CameraMovement = z.enum(CAMERA_MOVES);
const ShotType = z.enum(SHOT_TYPES);

export const LlmStyleSchema = z.object({
  palette: z
    .array(z.string().regex(/^#[0-9a-fA-F]{6}$/))
    .min(2)
    .max(5)
    .describe('2 to 5 colours as #rrggbb'),
  look: Text.describe('the visual look, e.g. "sleek high-end luxury commercial look"'),
  lighting: Text.describe('the lighting, e.g. "soft morning sunlight"'),
});

export const LlmAudioSchema = z.object({
  style: Text.describe('the music style, e.g. "warm acoustic pop"'),
  tempoBpm: z.int().min(60).max(180),
  mood: Text,
});

export const LlmBeatSchema = z.object({
  id: Text.describe('a beat id from the beat library'),
  durationS: BeatLength,
  prompt: Text.describe('what the clip shows: subject, product and setting, concrete and visual; no camera directions'),
  action: z.string().nullable().describe("what happens, in a few words; null keeps the library beat's action"),
  shotType: ShotType.nullable().describe("null keeps the library beat's shot type"),
  cameraMovement: CameraMovement,
});

export const LlmAdPlanSchema = z.object({
  archetype: Text.describe('the id of the archetype that fits the request best'),
  product: Text.describe('what is advertised, in a few words'),
  beats: z.array(LlmBeatSchema).min(1),
  style: LlmStyleSchema,
  audio: LlmAudioSchema,
});

export const LlmSceneSchema = z.object({
  durationS: BeatLength,
  description: Text.describe('what the scene shows; contains the character description word for word'),
  action: Text.describe('what the character does, in a few words'),
  shotType: ShotType,
  cameraMovement: CameraMovement,
});

export const LlmMusicVideoPlanSchema = z.object({
  scenes: z.array(LlmSceneSchema).min(1),
  style: LlmStyleSchema,
  audio: LlmAudioSchema,
});

export type LlmAdPlan = z.output<typeof LlmAdPlanSchema>;
export type LlmMusicVideoPlan = z.output<typeof LlmMusicVideoPlanSchema>;
