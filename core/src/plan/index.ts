/**
 * Planning: the beat library, the plan schema shared with the LLM planner, the deterministic
 * rule planner and music-video scenes (DESIGN.md §4.1).
 */
export type { ComposeBeatsOptions, ComposedBeat } from './beat-composer.js';
export type {
  Archetype,
  AudioSeed,
  Beat,
  BeatLibrary,
  BeatLibraryPaths,
  BeatPosition,
  EnergyLevel,
} from './library.js';
export {
  ArchetypeSchema,
  BEAT_POSITIONS,
  BEAT_TEMPLATE_SLOTS,
  BeatSchema,
  ENERGY_CURVES,
  ENERGY_LEVELS,
  loadBeatLibrary,
  SHOT_TYPES,
} from './library.js';
export * from './llm/index.js';
export type { CreateScenesRequest } from './music-video.js';
export { createScenes, MUSIC_VIDEO_AUDIO } from './music-video.js';
export type { PlanRequest } from './plan-request.js';
export {
  checkCharacterDescription,
  checkCreativity,
  checkDuration,
  checkMode,
  checkPrompt,
  DEFAULT_DURATION_S,
  MAX_CHARACTER_CHARS,
  MAX_PROMPT_CHARS,
} from './plan-request.js';
export type { SceneSpec } from './plan-scenes.js';
export { planScenes } from './plan-scenes.js';
export type { PlannerDeps } from './planner-deps.js';
export type { BeatSlotValues } from './prompts.js';
export { characterReferencePrompt, musicPrompt, storyboardPrompt } from './prompts.js';
export { planVideo } from './rule-planner.js';
export type {
  AdPlan,
  AudioSpec,
  BeatDurationS,
  MusicVideoPlan,
  MusicVideoScene,
  Plan,
  PlanBeat,
  PlanMode,
  PlanStyle,
} from './schema.js';
export {
  AdPlanSchema,
  AudioSpecSchema,
  BEAT_DURATIONS_S,
  MAX_DURATION_S,
  MIN_DURATION_S,
  MusicVideoPlanSchema,
  MusicVideoSceneSchema,
  PLAN_MODES,
  PlanBeatSchema,
  PlanSchema,
  PlanStyleSchema,
} from './schema.js';
export type { PlanIssue, PlanIssueCode, PlanValidation } from './validate-plan.js';
export { assertValidPlan, validatePlan } from './validate-plan.js';
