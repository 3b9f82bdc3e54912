import { findClipVersionById } from '../db/clip-versions.js';
import { findSceneById } from '../db/scenes.js';
import type { ClipVersionRow, SceneRow, VideoRow } from '../db/schema.js';
import { findVideoById } from '../db/videos.js';
import { PermanentError } from '../errors.js';
import type { ProviderName } from '../providers/types.js';
import type { StepContext } from './step.js';

/** The rows a step's input names, loaded by id; a missing one fails the step for good (a retry cannot bring it back). */
export async function loadVideo(ctx: StepContext, videoId: string): Promise<VideoRow> {
  const video = await findVideoById(ctx.deps.db, videoId);
  if (!video) throw new PermanentError(`Video ${videoId} does not exist (deleted while its step was queued?)`);
  return video;
}

export async function loadScene(ctx: StepContext, sceneId: string): Promise<SceneRow> {
  const scene = await findSceneById(ctx.deps.db, sceneId);
  if (!scene) throw new PermanentError(`Scene ${sceneId} does not exist`);
  return scene;
}

export async function loadClipVersion(ctx: StepContext, clipVersionId: string): Promise<ClipVersionRow> {
  const version = await findClipVersionById(ctx.deps.db, clipVersionId);
  if (!version) throw new PermanentError(`Clip version ${clipVersionId} does not exist`);
  return version;
}

/** Who pays for the step's generations: the video's owner, under the step's key. */
export function payerFor(ctx: StepContext, video: Pick<VideoRow, 'id' | 'user_id' | 'provider'>) {
  return {
    db: ctx.deps.db,
    userId: video.user_id,
    videoId: video.id,
    stepKey: ctx.stepKey,
    provider: video.provider as ProviderName,
    dailyBudgetUsd: ctx.deps.budget.dailyUsd,
  };
}

/** What a provider call gets besides its request. */
export function providerCall(ctx: StepContext, video: Pick<VideoRow, 'id' | 'user_id'>, workDir: string) {
  return { signal: ctx.signal, stepKey: ctx.stepKey, workDir, videoId: video.id, userId: video.user_id };
}
