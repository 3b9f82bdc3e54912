import { MAX_DURATION_S, MIN_DURATION_S } from '@reelsmith/core';
import { z } from 'zod';

/**
 * Input fields shared by several tools. Every message says what to send instead, worded to follow
 * the argument's name: a call that fails the schema comes back as `isError` lines like
 * `duration_seconds: use a multiple of 5 …` (see `registerTool`). Rules that need the catalog
 * (model, flavor, prompt length) stay in the core, whose errors list the valid values.
 */

const DURATION_MESSAGE = `use a multiple of 5 from ${MIN_DURATION_S} to ${MAX_DURATION_S} (for example 15).`;

export const promptField = z
  .string({ error: 'describe the video you want as text, e.g. "a 15 s ad for a luxury watch".' })
  .describe('What the video is about (an ad brief, or a music video idea).');

export const durationField = z
  .number({ error: DURATION_MESSAGE })
  .int({ error: DURATION_MESSAGE })
  .min(MIN_DURATION_S, { error: DURATION_MESSAGE })
  .max(MAX_DURATION_S, { error: DURATION_MESSAGE })
  .multipleOf(5, { error: DURATION_MESSAGE })
  .optional()
  .describe(`Length in seconds, a multiple of 5 from ${MIN_DURATION_S} to ${MAX_DURATION_S}; default 15.`);

export const modeField = z
  .enum(['ad', 'music_video', 'image_pairs'], { error: 'use "ad", "music_video" or "image_pairs".' })
  .optional()
  .describe(
    'ad (default): a product or brand short; music_video: an idea plus a character, optional audio track; image_pairs: 2–20 of your images, each picked pair morphs first into last.',
  );

export const modelField = z
  .string({ error: 'use a video model key from list_models.' })
  .optional()
  .describe('Video model key (see list_models); default the configured one.');

export const flavorField = z
  .string({ error: 'use a flavor name from list_flavors.' })
  .optional()
  .describe('Prompt flavor (see list_flavors); default "default".');

export const creativityField = z
  .number({ error: 'use a number from 0 to 1.' })
  .min(0, { error: 'use a number from 0 to 1.' })
  .max(1, { error: 'use a number from 0 to 1.' })
  .optional()
  .describe('0 follows the archetype closely, 1 varies beats and lengths more.');

export const characterDescriptionField = z
  .string({ error: 'describe the character as text.' })
  .optional()
  .describe('Music videos: the character who appears in every scene.');

export const videoIdField = z
  .string({ error: 'send the video_id create_video returned.' })
  .describe('The video id (a UUID) that create_video returned.');

export const sceneField = z
  .number({ error: 'send a 1-based scene number (see scenes in get_video).' })
  .int({ error: 'send a whole 1-based scene number (see scenes in get_video).' })
  .min(1, { error: 'scenes are numbered from 1 (see scenes in get_video).' })
  .describe('1-based scene number.');

const WAIT_MESSAGE =
  'use a whole number from 0 to 50 (clients time out a request after 60 s), or leave it out and poll get_video instead.';

export const waitSecondsField = z
  .number({ error: WAIT_MESSAGE })
  .int({ error: WAIT_MESSAGE })
  .min(0, { error: WAIT_MESSAGE })
  .max(50, { error: WAIT_MESSAGE })
  .optional()
  .describe(
    'Wait up to this many seconds (≤ 50) for the work to finish before answering, with progress notifications when you send a progress token. Default 0: answer at once.',
  );

/** An image or audio file: an https URL, or base64 bytes with their MIME type. */
export const mediaField = z
  .object(
    {
      url: z.string().optional().describe('An https:// link to the file on a public host.'),
      data: z.string().optional().describe('The file itself, base64-encoded.'),
      mime_type: z.string().optional().describe('MIME type of data, e.g. image/png or audio/mpeg.'),
      filename: z.string().optional().describe('A name for the file (optional).'),
    },
    { error: 'send an object: { "url": "https://…" }, or { "data": "<base64>", "mime_type": "image/png" }' },
  )
  .describe('Give either url, or data with mime_type.');

export type MediaInput = z.output<typeof mediaField>;
