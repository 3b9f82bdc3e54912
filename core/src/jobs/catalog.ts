import type { StepDefinition } from './step.js';
import { assembleSceneStep } from './steps/assemble-scene.js';
import { characterReferencesStep } from './steps/character-references.js';
import { chunkStep } from './steps/chunk.js';
import { contactSheetStep } from './steps/contact-sheet.js';
import { lipsyncStep } from './steps/lipsync.js';
import { musicStep } from './steps/music.js';
import { planStep } from './steps/plan.js';
import { scoreStep } from './steps/score.js';
import { stitchStep } from './steps/stitch.js';
import { storyboardStep } from './steps/storyboard.js';

/**
 * Every step a work's graph may hold, by name (CONVENTIONS.md §4). Producers and runners parse a
 * node's input with its step's schema; the worker's processor map is checked against these names.
 */
export const STEPS = {
  plan: planStep,
  storyboard: storyboardStep,
  contact_sheet: contactSheetStep,
  music: musicStep,
  chunk: chunkStep,
  assemble_scene: assembleSceneStep,
  lipsync: lipsyncStep,
  stitch: stitchStep,
  score: scoreStep,
  character_references: characterReferencesStep,
} as const;

export type StepName = keyof typeof STEPS;

export const STEP_NAMES = Object.keys(STEPS) as StepName[];

/** The step called `name`, as the runners see it (input and output untyped). */
export function stepNamed(name: StepName): StepDefinition {
  return STEPS[name] as unknown as StepDefinition;
}

export function isStepName(name: unknown): name is StepName {
  return typeof name === 'string' && Object.hasOwn(STEPS, name);
}
