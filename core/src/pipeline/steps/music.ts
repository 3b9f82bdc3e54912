import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { updateVideo } from '../../db/videos.js';
import { trimAudio } from '../../media/audio.js';
import { musicKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';
import { reserveGeneration, settleGeneration } from '../ledger.js';

/** Seconds of music asked beyond the video, so the crop never runs short. */
export const MUSIC_SURPLUS_S = 5;

export interface MusicInput {
  prompt: string;
  durationS: number;
  tempoBpm: number;
  mood: string;
}

/**
 * The video's music bed, generated once (duration + 5 s, within the model's maximum) and stored at
 * `background.mp3` (other formats are transcoded, so the name never lies); regenerations and
 * re-stitches re-use it.
 */
export async function musicStep(ctx: StepContext, input: MusicInput): Promise<{ key: string }> {
  const { deps, video, files, signal } = ctx;
  const key = musicKey(video.user_id, video.id);
  if (!(await deps.storage.exists(key))) {
    const model = deps.registry.defaultFor('music');
    const durationS = Math.min(input.durationS + MUSIC_SURPLUS_S, model.maxDurationS ?? Number.POSITIVE_INFINITY);
    const reservation = await reserveGeneration(ctx, { kind: 'music', model, outputSeconds: durationS });
    const workDir = await files.scratch('music');
    try {
      const generated = await deps.providers.music.generateMusic(
        { model, prompt: input.prompt, durationS, tempoBpm: input.tempoBpm, mood: input.mood },
        { signal, stepKey: ctx.stepKey, workDir, videoId: video.id, userId: video.user_id },
      );
      const mp3 = extname(generated.path).toLowerCase() === '.mp3' ? generated.path : join(workDir, 'background.mp3');
      if (mp3 !== generated.path) await trimAudio(generated.path, mp3, { startS: 0, endS: durationS, signal });
      await files.publish(mp3, key, 'audio/mpeg');
      await settleGeneration(ctx, reservation, [{ ...generated, durationS: generated.durationS ?? durationS }]);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  await updateVideo(deps.db, video.id, { music_key: key });
  return { key };
}
