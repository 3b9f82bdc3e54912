import { findAssetForUser } from '../db/assets.js';
import { findCurrentClipVersion, insertClipVersion } from '../db/clip-versions.js';
import { findScene } from '../db/scenes.js';
import { findVideoById } from '../db/videos.js';
import { UserError } from '../errors.js';
import type { VideoOptions } from '../jobs/steps/plan.js';
import { sceneCount } from './regenerate.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';
import { validateSceneIndex } from './validate.js';

export interface LipsyncOptions {
  /** An audio asset of the owner; default the track the video was created with. */
  audioAssetId?: string;
  /** Seconds into the track; default the scene's own time range. */
  startS?: number;
  endS?: number;
}

/**
 * Lip-syncs a scene's current clip to a segment of an audio track: the segment is cut, the
 * lipsync model runs on the clip, the result becomes a new version of kind `lipsync`, and the
 * video is re-stitched. Refused before anything is paid when there is no audio or the range is
 * outside the track.
 */
export async function lipsyncScene(
  ctx: ServiceContext,
  owner: Owner,
  videoId: string,
  sceneIndex: number,
  opts: LipsyncOptions,
): Promise<VideoView> {
  const { db, runner } = ctx.deps;
  const video = await ctx.ownedVideo(owner, videoId);
  ctx.assertIdle(video, 'lip-sync a scene of');
  const index = validateSceneIndex(sceneIndex, await sceneCount(ctx, video.id)) - 1;
  const scene = await findScene(db, video.id, index);
  if (!scene) throw new UserError('not_found', `Video ${video.id} has no scene ${sceneIndex}.`);
  const options = video.options as VideoOptions & { audioDurationS?: number };
  const asset = opts.audioAssetId ? await findAssetForUser(db, video.user_id, opts.audioAssetId) : undefined;
  if (opts.audioAssetId && asset?.kind !== 'audio') {
    throw new UserError('not_found', `No audio asset ${opts.audioAssetId} found for you.`);
  }
  const audioKey = asset?.storage_key ?? options.audioAssetKey;
  const audioDurationS = asset?.duration_s ?? options.audioDurationS ?? undefined;
  if (!audioKey) {
    throw new UserError(
      'no_audio',
      'This video has no audio track to lip-sync to; give an audio file (mp3, wav, m4a, ogg).',
    );
  }
  const startS = opts.startS ?? scene.start_s;
  const endS = opts.endS ?? scene.start_s + scene.duration_s;
  if (!(Number.isFinite(startS) && Number.isFinite(endS) && startS >= 0 && endS > startS)) {
    throw new UserError(
      'invalid_lipsync_range',
      `The lipsync range must have 0 ≤ start < end; got ${startS}–${endS} s.`,
    );
  }
  if (audioDurationS !== undefined && endS > audioDurationS + 0.05) {
    throw new UserError(
      'invalid_lipsync_range',
      `The lipsync range ${startS}–${endS} s is outside the audio track, which lasts ${audioDurationS.toFixed(1)} s.`,
    );
  }
  const current = await findCurrentClipVersion(db, scene.id);
  if (!current?.storage_key)
    throw new UserError('no_clip', `Scene ${sceneIndex} has no finished clip to lip-sync yet.`);
  const claimed = await ctx.claim(video, 'generating', `Lip-syncing scene ${sceneIndex}`);
  const clipVersion = await insertClipVersion(db, {
    scene_id: scene.id,
    kind: 'lipsync',
    status: 'running',
    prompt: current.prompt,
    provider: video.provider,
    model_key: ctx.deps.registry.defaultFor('lipsync').key,
    chunk_count: 1,
  });
  await runner.submit({
    kind: 'lipsync',
    videoId: video.id,
    sceneId: scene.id,
    clipVersionId: clipVersion.id,
    sourceKey: current.storage_key,
    audioKey,
    startS,
    endS,
  });
  return ctx.view((await findVideoById(db, video.id)) ?? claimed);
}
