import { insertScenes, listScenes } from '../../db/scenes.js';
import type { SceneRow } from '../../db/schema.js';
import { updateVideo } from '../../db/videos.js';
import { type Plan, planScenes } from '../../plan/index.js';
import type { StepContext } from '../context.js';

export interface VideoOptions {
  characterDescription?: string;
  referenceAssetKey?: string;
  audioAssetKey?: string;
  characterReferenceKey?: string;
}

export interface PlannedVideo {
  plan: Plan;
  scenes: SceneRow[];
  /** Scene titles by index (beat titles, or "Scene n"). */
  titles: string[];
}

/**
 * Plans the video once and writes its scenes; a re-run reads the stored plan and scenes back, so
 * the plan (and every id built on it) never changes under a running video.
 */
export async function planStep(ctx: StepContext): Promise<PlannedVideo> {
  const { deps, video } = ctx;
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
    if (result.fallbackReason)
      ctx.log.warn({ reason: result.fallbackReason }, 'LLM planning fell back to the rule planner');
    await updateVideo(deps.db, video.id, { plan });
  }
  const specs = planScenes(plan);
  let scenes = await listScenes(deps.db, video.id);
  if (scenes.length === 0) {
    scenes = await insertScenes(
      deps.db,
      specs.map((spec) => ({
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
  return { plan, scenes, titles: specs.map((spec) => spec.title) };
}
