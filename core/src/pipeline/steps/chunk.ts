import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SceneRow } from '../../db/schema.js';
import { extractLastFrame } from '../../media/last-frame.js';
import { probe } from '../../media/probe.js';
import type { ModelSpec } from '../../models/types.js';
import { chunkKey, chunkLastFrameKey } from '../../storage/keys.js';
import type { StepContext } from '../context.js';
import { reserveGeneration, settleGeneration } from '../ledger.js';

export interface ChunkInput {
  scene: SceneRow;
  version: number;
  chunkIndex: number;
  requestedDurationS: number;
  /** What the model really outputs for the request (its own chunk length), for the estimate. */
  outputDurationS: number;
  model: ModelSpec;
  prompt: string;
  /** Storage key of the first-frame image: the scene's storyboard frame, or the previous chunk's last frame. */
  inputImageKey: string;
}

export interface ChunkOutput {
  chunkKey: string;
  lastFrameKey: string;
  durationS: number;
  inputImageKey: string;
}

/**
 * One model generation of one scene version, stored with its last frame (the next chunk's first
 * frame). Idempotent: a chunk whose clip and last frame are already stored is not generated again.
 */
export async function chunkStep(ctx: StepContext, input: ChunkInput): Promise<ChunkOutput> {
  const { deps, video, files, signal } = ctx;
  const { scene, version, chunkIndex } = input;
  const clipKey = chunkKey(video.user_id, video.id, scene.index, version, chunkIndex);
  const frameKey = chunkLastFrameKey(video.user_id, video.id, scene.index, version, chunkIndex);
  if ((await deps.storage.exists(clipKey)) && (await deps.storage.exists(frameKey))) {
    const info = await probe(await files.fetch(clipKey), { signal });
    return { chunkKey: clipKey, lastFrameKey: frameKey, durationS: info.durationS, inputImageKey: input.inputImageKey };
  }
  const firstFrame = await files.fetch(input.inputImageKey);
  const reservation = await reserveGeneration(ctx, {
    kind: 'video',
    model: input.model,
    outputSeconds: input.outputDurationS,
  });
  const workDir = await files.scratch(`chunk-${scene.index}-${chunkIndex}`);
  try {
    const clip = await deps.providers.video.generateClip(
      {
        model: input.model,
        prompt: input.prompt,
        ...(scene.negative_prompt ? { negativePrompt: scene.negative_prompt } : {}),
        firstFrame,
        durationS: input.requestedDurationS,
        ...(scene.camera_movement ? { cameraMovement: scene.camera_movement } : {}),
      },
      { signal, stepKey: ctx.stepKey, workDir, videoId: video.id, userId: video.user_id },
    );
    const lastFrame = join(workDir, 'last_frame.png');
    await extractLastFrame(clip.path, lastFrame, { signal });
    const info = await probe(clip.path, { signal });
    await files.publish(clip.path, clipKey, 'video/mp4');
    await files.publish(lastFrame, frameKey, 'image/png');
    await settleGeneration(ctx, reservation, [{ ...clip, durationS: clip.durationS ?? info.durationS }]);
    return { chunkKey: clipKey, lastFrameKey: frameKey, durationS: info.durationS, inputImageKey: input.inputImageKey };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
