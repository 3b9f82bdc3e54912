import { z } from 'zod';
import { insertScenes, listScenes } from '../../db/scenes.js';
import { updateVideo } from '../../db/videos.js';
import { type Plan, planScenes } from '../../plan/index.js';
import { loadVideo } from '../load.js';
import { defineStep, LOCAL_RETRY } from '../step.js';
import { insertFirstVersions, lockLiveVideo } from './first-versions.js';
import { planImagePairs } from './plan-pairs.js';

/** The request options a video keeps beside its prompt (`videos.options`). */
export interface VideoOptions {
  characterDescription?: string;
  referenceAssetKey?: string;
  audioAssetKey?: string;
  characterReferenceKey?: string;
}

/**
 * Plans the video once and writes its scenes and every scene's version 1: the rows the rest of the
 * graph is derived from. A re-run reads the stored plan and rows back, so the plan (and every step
 * key built on it) never changes under a running video.
 */
export const planStep = defineStep({
  name: 'plan',
  input: z.object({ videoId: z.uuid() }),
  output: z.object({ sceneCount: z.number().int() }),
  pool: 'local',
  stage: 'planning',
  retry: LOCAL_RETRY,
  async run(input, ctx) {
    const { deps } = ctx;
    const video = await loadVideo(ctx, input.videoId);
    if (video.mode === 'image_pairs') return planImagePairs(ctx, video);
    const options = video.options as VideoOptions;
    let plan = video.plan as Plan | null;
    if (!plan) {
      const result = await deps.planner.plan(
        {
          prompt: video.prompt,
          durationS: video.duration_s,
          mode: video.mode === 'music_video' ? 'music_video' : 'ad',
          creativity: video.creativity,
          hasImage: Boolean(options.referenceAssetKey),
          flavor: video.flavor,
          ...(options.characterDescription ? { characterDescription: options.characterDescription } : {}),
        },
        { signal: ctx.signal },
      );
      plan = result.plan;
      if (result.fallbackReason) {
        ctx.log.warn({ reason: result.fallbackReason }, 'LLM planning fell back to the rule planner');
      }
      await updateVideo(deps.db, video.id, { plan });
    }
    const model = deps.registry.get(video.model_key, 'video');
    await deps.db.transaction().execute(async (trx) => {
      if (!(await lockLiveVideo(trx, video.id))) return;
      let scenes = await listScenes(trx, video.id);
      if (scenes.length === 0) {
        scenes = await insertScenes(
          trx,
          planScenes(plan).map((spec) => ({
            video_id: video.id,
            index: spec.index,
            start_s: spec.startS,
            duration_s: spec.durationS,
            beat_id: spec.beatId ?? null,
            prompt: spec.prompt,
            negative_prompt: spec.negativePrompt ?? null,
            direction_prompt: spec.directionPrompt,
            camera_movement: spec.cameraMovement,
            shot_type: null,
          })),
        );
      }
      await insertFirstVersions(trx, video, model, scenes);
    });
    return { sceneCount: planScenes(plan).length };
  },
});
