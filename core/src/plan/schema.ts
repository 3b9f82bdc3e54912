import { z } from 'zod';
import { CAMERA_MOVES } from '../media/camera-moves.js';

/**
 * The plan schema, shared by the rule planner and the LLM planner (DESIGN.md §4.1). Field-level
 * rules live here; rules that span fields (beats contiguous and summing to the duration, ids in
 * the library) live in `validatePlan`, so the schema stays usable as a structured-output schema.
 */

/** The kinds of video a plan can describe. */
export const PLAN_MODES = ['ad', 'music_video'] as const;
export type PlanMode = (typeof PLAN_MODES)[number];

/** The lengths a beat (or music-video scene) may have, in seconds. */
export const BEAT_DURATIONS_S = [5, 10, 15] as const;
export type BeatDurationS = (typeof BEAT_DURATIONS_S)[number];

/** Video lengths: a multiple of 5 seconds from 5 to 120. */
export const MIN_DURATION_S = 5;
export const MAX_DURATION_S = 120;

const Seconds = z.number().min(0);
const VideoDurationS = z.int().min(MIN_DURATION_S).max(MAX_DURATION_S).multipleOf(5);
const BeatDuration = z.literal(BEAT_DURATIONS_S);
const Text = z.string().trim().min(1);

export const PlanBeatSchema = z.object({
  /** A beat id from the library. */
  id: z.string().min(1),
  title: Text,
  startS: Seconds,
  durationS: BeatDuration,
  shotType: Text,
  action: Text,
  cameraMovement: z.enum(CAMERA_MOVES),
  /** What the clip shows (the image / video prompt). */
  prompt: Text,
  /** How the camera and subject move (camera movement, action, shot type in words). */
  directionPrompt: Text,
});

export const PlanStyleSchema = z.object({
  /** 2–5 colours, `#rrggbb`. */
  palette: z
    .array(z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colours are #rrggbb'))
    .min(2)
    .max(5),
  look: Text,
  lighting: Text,
});

export const AudioSpecSchema = z.object({
  style: Text,
  tempoBpm: z.int().min(60).max(180),
  mood: Text,
});

export const AdPlanSchema = z.object({
  mode: z.literal('ad'),
  prompt: Text,
  durationS: VideoDurationS,
  archetype: z.string().min(1),
  flavor: z.string().min(1),
  style: PlanStyleSchema,
  audio: AudioSpecSchema,
  /** What every clip should avoid (the flavor's negative prompt). */
  negativePrompt: z.string().optional(),
  beats: z.array(PlanBeatSchema).min(1),
});

export const MusicVideoSceneSchema = z.object({
  index: z.int().min(0),
  startS: Seconds,
  durationS: BeatDuration,
  /** What the scene shows; always contains the plan's character description. */
  description: Text,
  negativeDescription: z.string(),
  cameraMovement: z.enum(CAMERA_MOVES),
  /** How the camera and character move; derived from the camera movement when absent. */
  directionPrompt: z.string().optional(),
});

export const MusicVideoPlanSchema = z.object({
  mode: z.literal('music_video'),
  /** The idea of the video. */
  prompt: Text,
  characterDescription: Text,
  durationS: VideoDurationS,
  flavor: z.string().min(1),
  style: PlanStyleSchema,
  audio: AudioSpecSchema,
  scenes: z.array(MusicVideoSceneSchema).min(1),
});

/** A plan of either mode, told apart by `mode`. */
export const PlanSchema = z.discriminatedUnion('mode', [AdPlanSchema, MusicVideoPlanSchema]);

export type PlanBeat = z.output<typeof PlanBeatSchema>;
export type PlanStyle = z.output<typeof PlanStyleSchema>;
export type AudioSpec = z.output<typeof AudioSpecSchema>;
export type AdPlan = z.output<typeof AdPlanSchema>;
export type MusicVideoScene = z.output<typeof MusicVideoSceneSchema>;
export type MusicVideoPlan = z.output<typeof MusicVideoPlanSchema>;
export type Plan = z.output<typeof PlanSchema>;
