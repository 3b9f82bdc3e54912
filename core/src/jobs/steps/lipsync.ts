import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { updateClipVersion } from '../../db/clip-versions.js';
import { updateScene } from '../../db/scenes.js';
import { reserveGeneration, settleGeneration } from '../../ledger/generation.js';
import { trimAudio } from '../../media/audio.js';
import { concatClips } from '../../media/concat.js';
import { MediaInfoSchema, storedMediaInfo } from '../../media/media-info-schema.js';
import { providersFor } from '../../providers/for-video.js';
import { sceneVersionKey } from '../../storage/keys.js';
import { loadClipVersion, loadScene, loadVideo, payerFor, providerCall } from '../load.js';
import { defineStep, PROVIDER_RETRY } from '../step.js';

/**
 * Cuts the audio segment, runs the lipsync model on the scene's current clip, and stores the result
 * (trimmed to the scene's length) as the new version. Idempotent: a version already stored is
 * returned as it is, and a re-run resumes the provider's recorded prediction.
 */
export const lipsyncStep = defineStep({
  name: 'lipsync',
  input: z.object({
    videoId: z.uuid(),
    sceneId: z.uuid(),
    clipVersionId: z.uuid(),
    /** The scene version the lipsync runs on. */
    sourceKey: z.string().min(1),
    audioKey: z.string().min(1),
    startS: z.number().min(0),
    endS: z.number().positive(),
  }),
  output: z.object({ key: z.string(), media: MediaInfoSchema }),
  pool: 'provider',
  stage: 'generating',
  retry: PROVIDER_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const scene = await loadScene(ctx, input.sceneId);
    const version = await loadClipVersion(ctx, input.clipVersionId);
    const done = storedMediaInfo(version.media);
    if (version.status === 'succeeded' && version.storage_key && done) return { key: version.storage_key, media: done };
    const key = sceneVersionKey(video.user_id, video.id, scene.index, version.version);
    const workDir = await files.scratch('lipsync');
    try {
      const model = deps.registry.defaultFor('lipsync');
      const segment = join(workDir, 'segment.wav');
      await trimAudio(await files.fetch(input.audioKey), segment, { startS: input.startS, endS: input.endS, signal });
      const reservation = await reserveGeneration(payerFor(ctx, video), {
        kind: 'lipsync',
        model,
        outputSeconds: scene.duration_s,
      });
      const synced = await providersFor(deps, video.provider).lipsync.lipsync(
        { model, video: await files.fetch(input.sourceKey), audio: segment },
        providerCall(ctx, video, workDir),
      );
      await settleGeneration(deps.db, reservation, [synced]);
      const fitted = join(workDir, 'scene.mp4');
      const result = await concatClips([synced.path], fitted, { targetDurationS: scene.duration_s, signal });
      await files.publish(fitted, key, 'video/mp4');
      await updateClipVersion(deps.db, version.id, {
        status: 'succeeded',
        storage_key: key,
        duration_s: result.durationS,
        cost_usd: synced.costUsd,
        media: result.media,
      });
      await updateScene(deps.db, scene.id, { status: 'ready', error_message: null });
      return { key, media: result.media };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});
