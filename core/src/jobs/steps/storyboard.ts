import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { updateScene } from '../../db/scenes.js';
import { PermanentError } from '../../errors.js';
import { reserveGeneration, settleGeneration } from '../../ledger/generation.js';
import { type Plan, planScenes } from '../../plan/index.js';
import { providersFor } from '../../providers/for-video.js';
import { storyboardKey } from '../../storage/keys.js';
import { loadScene, loadVideo, payerFor, providerCall } from '../load.js';
import { defineStep, PROVIDER_RETRY } from '../step.js';
import type { VideoOptions } from './plan.js';

/**
 * One storyboard frame per scene at the video model's frame size, stored at `storyboard_NN.png`.
 * The user's own reference image is scene 1's frame; a picked character reference conditions every
 * frame (scene 1's too when there is no reference image). Idempotent: a frame already stored is
 * reused, not paid again.
 */
export const storyboardStep = defineStep({
  name: 'storyboard',
  input: z.object({ videoId: z.uuid(), sceneId: z.uuid() }),
  output: z.object({ key: z.string() }),
  pool: 'provider',
  stage: 'storyboarding',
  retry: PROVIDER_RETRY,
  async run(input, ctx) {
    const { deps, files } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const scene = await loadScene(ctx, input.sceneId);
    const key = storyboardKey(video.user_id, video.id, scene.index);
    if (!(await deps.storage.exists(key))) {
      const options = video.options as VideoOptions;
      const referenceKey = (scene.index === 0 ? options.referenceAssetKey : undefined) ?? options.characterReferenceKey;
      const plan = video.plan as Plan | null;
      if (!plan) throw new PermanentError(`Video ${video.id} has no plan to draw a storyboard from`);
      const title = planScenes(plan)[scene.index]?.title ?? `Scene ${scene.index + 1}`;
      const imageModel = deps.registry.defaultFor('image');
      const videoModel = deps.registry.get(video.model_key, 'video');
      const reference = referenceKey ? await files.fetch(referenceKey) : undefined;
      const reservation = await reserveGeneration(payerFor(ctx, video), {
        kind: 'image',
        model: imageModel,
        images: 1,
      });
      const workDir = await files.scratch('storyboard');
      try {
        const generated = await providersFor(deps, video.provider).image.generateImages(
          {
            model: imageModel,
            prompt: scene.prompt,
            count: 1,
            width: videoModel.width ?? 1280,
            height: videoModel.height ?? 720,
            title,
            palette: [...plan.style.palette],
            ...(reference ? { reference } : {}),
          },
          providerCall(ctx, video, workDir),
        );
        const first = generated[0];
        if (!first) throw new PermanentError(`The image provider returned no image for scene ${scene.index + 1}`);
        await files.publish(first.path, key, 'image/png');
        await settleGeneration(deps.db, reservation, generated);
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    }
    await updateScene(deps.db, scene.id, { storyboard_key: key });
    return { key };
  },
});
