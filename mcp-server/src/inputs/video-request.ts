import type { CreateVideoRequest } from '@reelsmith/core';
import { z } from 'zod';
import {
  characterDescriptionField,
  creativityField,
  durationField,
  flavorField,
  modeField,
  modelField,
  promptField,
} from './fields.js';

/** The request fields plan_video, estimate_cost and create_video share. */
export const videoRequestShape = {
  prompt: promptField,
  duration_seconds: durationField,
  mode: modeField,
  model: modelField,
  flavor: flavorField,
  creativity: creativityField,
  character_description: characterDescriptionField,
};

const VideoRequestSchema = z.object(videoRequestShape);
export type VideoRequestInput = z.output<typeof VideoRequestSchema>;

/** The core's request from the tool's snake_case fields (asset ids are added by the caller). */
export function toCreateRequest(input: VideoRequestInput): CreateVideoRequest {
  return {
    prompt: input.prompt,
    ...(input.duration_seconds !== undefined ? { durationS: input.duration_seconds } : {}),
    ...(input.mode !== undefined ? { mode: input.mode } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.flavor !== undefined ? { flavor: input.flavor } : {}),
    ...(input.creativity !== undefined ? { creativity: input.creativity } : {}),
    ...(input.character_description !== undefined ? { characterDescription: input.character_description } : {}),
  };
}
