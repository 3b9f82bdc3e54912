import { z } from 'zod';
import type { WorkKind } from '../db/schema.js';

/** What a front (through the VideoService) asks a runner to do. */
export type WorkRequest =
  | { kind: 'create'; videoId: string }
  | { kind: 'regenerate'; videoId: string; sceneId: string; clipVersionId: string }
  | {
      kind: 'lipsync';
      videoId: string;
      sceneId: string;
      clipVersionId: string;
      /** The scene version the lipsync runs on. */
      sourceKey: string;
      audioKey: string;
      startS: number;
      endS: number;
    }
  | { kind: 'restitch'; videoId: string }
  | { kind: 'character_references'; userId: string; description: string; count: number };

/** The parameters each kind keeps in `works.params` (everything but the video and the owner). */
export const WORK_PARAMS = {
  create: z.object({}),
  regenerate: z.object({ sceneId: z.uuid(), clipVersionId: z.uuid() }),
  lipsync: z.object({
    sceneId: z.uuid(),
    clipVersionId: z.uuid(),
    sourceKey: z.string().min(1),
    audioKey: z.string().min(1),
    startS: z.number().min(0),
    endS: z.number().positive(),
  }),
  restitch: z.object({}),
  character_references: z.object({ description: z.string().min(1), count: z.number().int().min(1).max(4) }),
} satisfies Record<WorkKind, z.ZodType>;

/** `request` without its kind, video and owner: what goes in `works.params`. */
export function workParams(request: WorkRequest): Record<string, unknown> {
  const { kind, ...rest } = request;
  const { videoId: _video, userId: _user, ...params } = rest as Record<string, unknown>;
  return WORK_PARAMS[kind].parse(params) as Record<string, unknown>;
}
