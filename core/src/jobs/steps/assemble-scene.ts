import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { updateClipVersion } from '../../db/clip-versions.js';
import { sumActualForStepPrefix } from '../../db/ledger.js';
import { updateScene } from '../../db/scenes.js';
import { PermanentError } from '../../errors.js';
import { concatClips } from '../../media/concat.js';
import { MediaInfoSchema, storedMediaInfo } from '../../media/media-info-schema.js';
import { stepKey } from '../../pipeline/context.js';
import { sceneVersionKey } from '../../storage/keys.js';
import { loadClipVersion, loadScene, loadVideo } from '../load.js';
import { defineStep, LOCAL_RETRY, outputsOf } from '../step.js';
import { chunkStep } from './chunk.js';

/**
 * Joins a scene version's chunks (its dependencies, in order; stream copy from their recorded media
 * facts, no probing) and trims the surplus so the version lasts exactly the scene; marks the
 * version succeeded and current, with its cost (the sum of its chunks') and its media facts.
 */
export const assembleSceneStep = defineStep({
  name: 'assemble_scene',
  input: z.object({ videoId: z.uuid(), sceneId: z.uuid(), clipVersionId: z.uuid() }),
  output: z.object({ key: z.string(), media: MediaInfoSchema }),
  pool: 'local',
  stage: 'generating',
  retry: LOCAL_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const scene = await loadScene(ctx, input.sceneId);
    const version = await loadClipVersion(ctx, input.clipVersionId);
    const done = storedMediaInfo(version.media);
    if (version.status === 'succeeded' && version.storage_key && done) return { key: version.storage_key, media: done };
    const chunks = outputsOf(ctx, chunkStep);
    if (chunks.length === 0) throw new PermanentError(`Scene ${scene.index + 1} v${version.version} has no chunks`);
    const key = sceneVersionKey(video.user_id, video.id, scene.index, version.version);
    const paths = await Promise.all(chunks.map((chunk) => files.fetch(chunk.chunkKey)));
    const workDir = await files.scratch(`scene-${scene.index}`);
    try {
      const out = join(workDir, 'scene.mp4');
      const result = await concatClips(paths, out, {
        targetDurationS: scene.duration_s,
        infos: chunks.map((chunk) => chunk.media),
        signal,
      });
      await files.publish(out, key, 'video/mp4');
      const cost = await sumActualForStepPrefix(
        deps.db,
        `${stepKey(video.id, 'chunk', scene.index, version.version)}.`,
      );
      await updateClipVersion(deps.db, version.id, {
        status: 'succeeded',
        storage_key: key,
        duration_s: result.durationS,
        cost_usd: cost,
        error_message: null,
        media: result.media,
      });
      await updateScene(deps.db, scene.id, { status: 'ready', error_message: null });
      return { key, media: result.media };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});
