import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { PermanentError } from '../../errors.js';
import { reserveGeneration, settleGeneration } from '../../ledger/generation.js';
import { extractLastFrame } from '../../media/last-frame.js';
import { MediaInfoSchema } from '../../media/media-info-schema.js';
import { probe } from '../../media/probe.js';
import { planChunks } from '../../models/chunks.js';
import { providersFor } from '../../providers/for-video.js';
import { chunkKey, chunkLastFrameKey } from '../../storage/keys.js';
import { loadClipVersion, loadScene, loadVideo, payerFor, providerCall } from '../load.js';
import { defineStep, PROVIDER_RETRY } from '../step.js';

/**
 * One model generation of one scene version, stored with its last frame (the next chunk's first
 * frame) and the clip's media facts (so assembling never probes it again). The first frame is the
 * scene's storyboard frame for chunk 0, the previous chunk's last frame after that; the prompt is the
 * version's prompt plus the scene's direction. Idempotent: a chunk whose clip and last frame are
 * already stored is not generated again.
 */
export const chunkStep = defineStep({
  name: 'chunk',
  input: z.object({
    videoId: z.uuid(),
    sceneId: z.uuid(),
    clipVersionId: z.uuid(),
    chunk: z.number().int().min(0),
    inputImageKey: z.string().min(1),
  }),
  output: z.object({ chunkKey: z.string(), lastFrameKey: z.string(), media: MediaInfoSchema }),
  pool: 'provider',
  stage: 'generating',
  retry: PROVIDER_RETRY,
  async run(input, ctx) {
    const { deps, files, signal } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    const scene = await loadScene(ctx, input.sceneId);
    const version = await loadClipVersion(ctx, input.clipVersionId);
    const clipKey = chunkKey(video.user_id, video.id, scene.index, version.version, input.chunk);
    const frameKey = chunkLastFrameKey(video.user_id, video.id, scene.index, version.version, input.chunk);
    if ((await deps.storage.exists(clipKey)) && (await deps.storage.exists(frameKey))) {
      const media = await probe(await files.fetch(clipKey), { signal });
      return { chunkKey: clipKey, lastFrameKey: frameKey, media };
    }
    const model = deps.registry.get(version.model_key, 'video');
    const planned = planChunks(model, scene.duration_s).chunks[input.chunk];
    if (!planned) throw new PermanentError(`Scene ${scene.index + 1} has no chunk ${input.chunk} on ${model.key}`);
    const firstFrame = await files.fetch(input.inputImageKey);
    // Image pairs: the scene's last chunk ends on the pair's second image.
    const isLastChunk = input.chunk === planChunks(model, scene.duration_s).chunks.length - 1;
    const lastFrameImage =
      isLastChunk && scene.last_frame_image_key ? await files.fetch(scene.last_frame_image_key) : undefined;
    const reservation = await reserveGeneration(payerFor(ctx, video), {
      kind: 'video',
      model,
      outputSeconds: planned.outputDurationS,
    });
    const workDir = await files.scratch(`chunk-${scene.index}-${input.chunk}`);
    try {
      const clip = await providersFor(deps, video.provider).video.generateClip(
        {
          model,
          prompt: [version.prompt, scene.direction_prompt].filter(Boolean).join('. '),
          ...(scene.negative_prompt ? { negativePrompt: scene.negative_prompt } : {}),
          firstFrame,
          ...(lastFrameImage ? { lastFrame: lastFrameImage } : {}),
          durationS: planned.requestedDurationS,
          ...(scene.camera_movement ? { cameraMovement: scene.camera_movement } : {}),
        },
        providerCall(ctx, video, workDir),
      );
      const lastFrame = join(workDir, 'last_frame.png');
      await extractLastFrame(clip.path, lastFrame, { signal });
      const media = await probe(clip.path, { signal });
      await files.publish(clip.path, clipKey, 'video/mp4');
      await files.publish(lastFrame, frameKey, 'image/png');
      await settleGeneration(deps.db, reservation, [{ ...clip, durationS: clip.durationS ?? media.durationS }]);
      return { chunkKey: clipKey, lastFrameKey: frameKey, media };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
});
