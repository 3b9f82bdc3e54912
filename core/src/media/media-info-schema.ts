import { z } from 'zod';
import type { MediaInfo } from './probe.js';

/** `MediaInfo` as JSON in step outputs and on clip versions (facts a stitch reuses instead of probing). */
export const MediaInfoSchema: z.ZodType<MediaInfo> = z.object({
  durationS: z.number(),
  videoDurationS: z.number(),
  videoStartS: z.number(),
  width: z.number(),
  height: z.number(),
  fps: z.number(),
  videoCodec: z.string(),
  videoProfile: z.string().optional(),
  videoLevel: z.number().optional(),
  pixelFormat: z.string(),
  reorderFrames: z.number(),
  frameCount: z.number().optional(),
  hasAudio: z.boolean(),
  audioCodec: z.string().optional(),
  audioProfile: z.string().optional(),
  audioDurationS: z.number().optional(),
  audioSampleRate: z.number().optional(),
  audioChannels: z.number().optional(),
});

/** The stored facts when they parse, else undefined (rows written before facts were kept). */
export function storedMediaInfo(value: unknown): MediaInfo | undefined {
  const parsed = MediaInfoSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
