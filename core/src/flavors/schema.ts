import { z } from 'zod';
import { CAMERA_MOVES } from '../media/camera-moves.js';
import { templateSchema } from './template.js';

/** Slots of `beat.direction`: the camera phrase, the beat's action and its shot type, all in words. */
export const DIRECTION_SLOTS = ['camera', 'action', 'shot'] as const;
/** Slots of `musicVideo.description`; `{character}` is required so every scene shows the same person. */
export const SCENE_DESCRIPTION_SLOTS = ['character', 'idea', 'action', 'shot', 'style', 'index', 'count'] as const;

const HEX_COLOUR = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');
const plainText = templateSchema([]);

/** `prompts.yaml`: every text a flavor adds to or builds prompts with. All keys are required. */
export const FlavorPromptsSchema = z.strictObject({
  beat: z.strictObject({
    /** Put before every beat / scene prompt. */
    prefix: plainText,
    /** Put after every beat / scene prompt. */
    suffix: plainText,
    direction: templateSchema(DIRECTION_SLOTS, ['camera']),
    /** The negative prompt of every clip. */
    negative: plainText,
    /** Added to the first beat when the user gave a reference image. */
    referenceImage: templateSchema(['product']),
  }),
  /** How each camera move is said in a direction prompt. */
  camera: z.record(z.enum(CAMERA_MOVES), z.string().min(1)),
  storyboard: templateSchema(['prompt', 'style'], ['prompt']),
  music: templateSchema(['style', 'tempoBpm', 'mood', 'durationS']),
  musicVideo: z.strictObject({
    description: templateSchema(SCENE_DESCRIPTION_SLOTS, ['character']),
    negative: templateSchema(['character', 'idea']),
    /** Used when the user gave no character description. */
    defaultCharacter: z.string().min(1),
    /** Scene moments: the first opens, the last closes, the others cycle in between. */
    moments: z
      .array(
        z.strictObject({ action: z.string().min(1), shot: z.string().min(1), cameraMovement: z.enum(CAMERA_MOVES) }),
      )
      .min(3),
  }),
  characterReference: templateSchema(['character', 'style'], ['character']),
});

const BEAT_LENGTH = z.literal([5, 10, 15]);

/** `parameters.yaml`: numbers and switches for planning and for the generation models. */
export const FlavorParametersSchema = z.strictObject({
  /** Default planner creativity, 0–1, when the request gives none. */
  creativity: z.number().min(0).max(1),
  /** The beat length the ad planner leans towards. */
  preferredBeatDurationS: BEAT_LENGTH,
  /** Music-video scene length; the last scene takes any remainder. */
  sceneDurationS: BEAT_LENGTH,
  image: z.strictObject({
    guidance: z.number().min(0).max(30),
    steps: z.int().min(1).max(100),
    aspectRatio: z.string().regex(/^\d+:\d+$/, 'must look like 16:9'),
  }),
  video: z.strictObject({ promptOptimizer: z.boolean() }),
  music: z.strictObject({
    /** Music level under existing audio, 0–1. */
    volume: z.number().min(0).max(1),
    /** Added to the tempo the planner derives (then clamped to 60–180). */
    tempoShiftBpm: z.int().min(-60).max(60),
  }),
  /** Overrides of the derived style; a palette here wins over mood words but not over colours the user named. */
  style: z
    .strictObject({
      palette: z.array(HEX_COLOUR).min(2).max(5).optional(),
      look: z.string().min(1).optional(),
      lighting: z.string().min(1).optional(),
    })
    .default({}),
});

/** `flavor.yaml`: what `listFlavors` shows. */
export const FlavorMetaSchema = z.strictObject({ description: z.string().min(1) });

export type FlavorPrompts = z.output<typeof FlavorPromptsSchema>;
export type FlavorParameters = z.output<typeof FlavorParametersSchema>;
export type FlavorMeta = z.output<typeof FlavorMetaSchema>;

/** The files a flavor may hold; a missing one is taken whole from `default`. */
export const FLAVOR_FILES = {
  prompts: { file: 'prompts.yaml', schema: FlavorPromptsSchema },
  parameters: { file: 'parameters.yaml', schema: FlavorParametersSchema },
} as const;

/** A part of a flavor that has its own file. */
export type FlavorPart = keyof typeof FLAVOR_FILES;

/** The optional description file; not inherited. */
export const FLAVOR_META_FILE = 'flavor.yaml';
