import type { StepName } from '@reelsmith/core/worker';
import { processAssembleScene } from './assemble-scene.js';
import { processCharacterReferences } from './character-references.js';
import { processContactSheet } from './contact-sheet.js';
import { processGenerateChunk } from './generate-chunk.js';
import { processLipsync } from './lipsync.js';
import { processMusic } from './music.js';
import { processPlan } from './plan.js';
import { processScore } from './score.js';
import type { StepProcessor } from './step-processor.js';
import { processStitch } from './stitch.js';
import { processStoryboard } from './storyboard.js';

/** One processor per step of the catalog; the compiler checks that every step name has one. */
export const PROCESSORS = {
  plan: processPlan,
  storyboard: processStoryboard,
  contact_sheet: processContactSheet,
  music: processMusic,
  chunk: processGenerateChunk,
  assemble_scene: processAssembleScene,
  lipsync: processLipsync,
  stitch: processStitch,
  score: processScore,
  character_references: processCharacterReferences,
} satisfies Record<StepName, StepProcessor>;
