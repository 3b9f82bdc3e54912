import { rm } from 'node:fs/promises';
import { updateScene } from '../../db/scenes.js';
import type { SceneRow } from '../../db/schema.js';
import { storyboardKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';
import { reserveGeneration, settleGeneration } from '../ledger.js';

export interface StoryboardInput {
  scene: SceneRow;
  title: string;
  palette: readonly string[];
  /** Storage key of an image that conditions this frame (the user's reference for scene 1, a character reference). */
  referenceKey?: string | undefined;
}

/**
 * One storyboard frame per scene, at the video model's frame size, stored at
 * `storyboard_NN.png`. Idempotent: a frame already in storage is reused, not paid again.
 */
export async function storyboardStep(ctx: StepContext, input: StoryboardInput): Promise<{ key: string }> {
  const { deps, video, files, signal } = ctx;
  const key = storyboardKey(video.user_id, video.id, input.scene.index);
  if (!(await deps.storage.exists(key))) {
    const imageModel = deps.registry.defaultFor('image');
    const videoModel = deps.registry.get(video.model_key, 'video');
    const reference = input.referenceKey && input.scene.index === 0 ? await files.fetch(input.referenceKey) : undefined;
    const reservation = await reserveGeneration(ctx, { kind: 'image', model: imageModel, images: 1 });
    const workDir = await files.scratch('storyboard');
    try {
      const generated = await deps.providers.image.generateImages(
        {
          model: imageModel,
          prompt: input.scene.prompt,
          count: 1,
          width: videoModel.width ?? 1280,
          height: videoModel.height ?? 720,
          title: input.title,
          palette: [...input.palette],
          ...(reference ? { reference } : {}),
        },
        { signal, stepKey: ctx.stepKey, workDir, videoId: video.id, userId: video.user_id },
      );
      const first = generated[0];
      if (!first) throw new Error(`image provider returned no image for scene ${input.scene.index + 1}`);
      await files.publish(first.path, key, 'image/png');
      await settleGeneration(ctx, reservation, generated);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
  await updateScene(deps.db, input.scene.id, { storyboard_key: key });
  return { key };
}
