import { insertClipVersion, listClipVersions } from '../db/clip-versions.js';
import { countScenes, findScene, updateScene } from '../db/scenes.js';
import { findVideoById } from '../db/videos.js';
import { UserError } from '../errors.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';
import { validatePrompt, validateSceneIndex } from './validate.js';

/** Counts a video's scenes (for 1-based index checks). */
export function sceneCount(ctx: ServiceContext, videoId: string): Promise<number> {
  return countScenes(ctx.deps.db, videoId);
}

/**
 * A new version of one scene (optionally with an edited prompt): version rows are never
 * overwritten; the run re-stitches a new take and re-scores it with the stored music.
 */
export async function regenerateScene(
  ctx: ServiceContext,
  owner: Owner,
  videoId: string,
  sceneIndex: number,
  opts: { prompt?: string },
): Promise<VideoView> {
  const { db, runner } = ctx.deps;
  const video = await ctx.ownedVideo(owner, videoId);
  ctx.assertIdle(video, 'regenerate a scene of');
  const index = validateSceneIndex(sceneIndex, await sceneCount(ctx, video.id)) - 1;
  const prompt = opts.prompt === undefined ? undefined : validatePrompt(opts.prompt);
  const scene = await findScene(db, video.id, index);
  if (!scene) throw new UserError('not_found', `Video ${video.id} has no scene ${sceneIndex}.`);
  const claimed = await ctx.claim(video, 'generating', `Regenerating scene ${sceneIndex}`);
  const previous = (await listClipVersions(db, scene.id)).at(-1);
  if (prompt !== undefined) await updateScene(db, scene.id, { prompt });
  const clipVersion = await insertClipVersion(db, {
    scene_id: scene.id,
    kind: 'regenerated',
    status: 'running',
    prompt: prompt ?? previous?.prompt ?? scene.prompt,
    provider: video.provider,
    model_key: video.model_key,
    chunk_count: previous?.chunk_count ?? 1,
  });
  await runner.submit({ kind: 'regenerate', videoId: video.id, sceneId: scene.id, clipVersionId: clipVersion.id });
  return ctx.view((await findVideoById(db, video.id)) ?? claimed);
}
