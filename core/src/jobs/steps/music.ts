import { rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { z } from 'zod';
import { updateVideo } from '../../db/videos.js';
import { PermanentError } from '../../errors.js';
import { getFlavor } from '../../flavors/catalog.js';
import { reserveGeneration, settleGeneration } from '../../ledger/generation.js';
import { trimAudio } from '../../media/audio.js';
import { musicPrompt, type Plan } from '../../plan/index.js';
import { providersFor } from '../../providers/for-video.js';
import { musicKey } from '../../storage/keys.js';
import { loadVideo, payerFor, providerCall } from '../load.js';
import { defineStep, PROVIDER_RETRY } from '../step.js';

/** Seconds of music asked beyond the video, so the crop never runs short. */
export const MUSIC_SURPLUS_S = 5;

/**
 * The video's music bed from its plan's audio spec and flavor, generated once (duration + 5 s,
 * within the model's maximum) and stored at `background.mp3` (other formats are transcoded, so the
 * name never lies); regenerations and re-stitches re-use it.
 */
export const musicStep = defineStep({
  name: 'music',
  input: z.object({ videoId: z.uuid() }),
  output: z.object({ key: z.string() }),
  pool: 'provider',
  retry: PROVIDER_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const key = musicKey(video.user_id, video.id);
    if (!(await deps.storage.exists(key))) {
      const plan = video.plan as Plan | null;
      if (!plan) throw new PermanentError(`Video ${video.id} has no plan to score`);
      const model = deps.registry.defaultFor('music');
      const durationS = Math.min(video.duration_s + MUSIC_SURPLUS_S, model.maxDurationS ?? Number.POSITIVE_INFINITY);
      const reservation = await reserveGeneration(payerFor(ctx, video), {
        kind: 'music',
        model,
        outputSeconds: durationS,
      });
      const workDir = await files.scratch('music');
      try {
        const generated = await providersFor(deps, video.provider).music.generateMusic(
          {
            model,
            prompt: musicPrompt(plan, getFlavor(plan.flavor)),
            durationS,
            tempoBpm: plan.audio.tempoBpm,
            mood: plan.audio.mood,
          },
          providerCall(ctx, video, workDir),
        );
        const mp3 = extname(generated.path).toLowerCase() === '.mp3' ? generated.path : join(workDir, 'background.mp3');
        if (mp3 !== generated.path) await trimAudio(generated.path, mp3, { startS: 0, endS: durationS, signal });
        await files.publish(mp3, key, 'audio/mpeg');
        await settleGeneration(deps.db, reservation, [{ ...generated, durationS: generated.durationS ?? durationS }]);
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    }
    await updateVideo(deps.db, video.id, { music_key: key });
    return { key };
  },
});
