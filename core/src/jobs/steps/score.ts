import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { findTakeById } from '../../db/takes.js';
import { updateVideo } from '../../db/videos.js';
import { PermanentError } from '../../errors.js';
import { getFlavor } from '../../flavors/catalog.js';
import { fitMusic, mixMusic } from '../../media/audio.js';
import type { Plan } from '../../plan/index.js';
import { finalKey } from '../../storage/keys.js';
import { loadVideo } from '../load.js';
import { defineStep, LOCAL_RETRY, outputsOf } from '../step.js';
import { stitchStep } from './stitch.js';

/** Music gain under the clips' own audio when the plan names no flavor: 0.7 (DESIGN.md §4.5). */
export const DEFAULT_MUSIC_VOLUME = 0.7;

/** The flavor's music gain for a plan, 0.7 by default. */
export function musicVolume(plan: Plan | null): number {
  return plan ? getFlavor(plan.flavor).parameters.music.volume : DEFAULT_MUSIC_VOLUME;
}

/**
 * `final.mp4`: the take made by its dependency (the stitch) with the video's stored music fitted to
 * its length (crop or loop, fade out) and mixed under any audio the clips carry. Without music
 * (none generated, or it failed) the take is delivered as it is and the output says so.
 */
export const scoreStep = defineStep({
  name: 'score',
  input: z.object({ videoId: z.uuid() }),
  output: z.object({ key: z.string(), withMusic: z.boolean() }),
  pool: 'local',
  stage: 'scoring',
  retry: LOCAL_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const [stitched] = outputsOf(ctx, stitchStep);
    const take = stitched ? await findTakeById(deps.db, stitched.takeId) : undefined;
    if (!take) throw new PermanentError(`Video ${video.id} has no take to score`);
    const key = finalKey(video.user_id, video.id);
    const takePath = await files.fetch(take.storage_key);
    if (!video.music_key) {
      await files.publish(takePath, key, 'video/mp4');
      await updateVideo(deps.db, video.id, { final_key: key });
      return { key, withMusic: false };
    }
    const musicPath = await files.fetch(video.music_key);
    const workDir = await files.scratch('score');
    try {
      const fitted = join(workDir, 'music.m4a');
      await fitMusic(musicPath, fitted, { durationS: take.duration_s, signal });
      const out = join(workDir, 'final.mp4');
      await mixMusic(takePath, fitted, out, { volume: musicVolume(video.plan as Plan | null), signal });
      await files.publish(out, key, 'video/mp4');
      await updateVideo(deps.db, video.id, { final_key: key });
      return { key, withMusic: true };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});
