import { randomUUID } from 'node:crypto';
import { findCurrentClipVersion } from '../db/clip-versions.js';
import { insertScenes, listScenes } from '../db/scenes.js';
import type { VideoRow } from '../db/schema.js';
import { findVideoById, insertVideo, setVideoStatus } from '../db/videos.js';
import { UserError } from '../errors.js';
import { assertWithinBudget, withUserLock } from '../ledger/budget.js';
import { estimateVideoCost } from '../models/estimate.js';
import type { ServiceContext } from './service-context.js';
import type { Owner, VideoView } from './types.js';

/** The provider a preview is rendered with: every other provider makes the paid video. */
export const PREVIEW_PROVIDER = 'animatic';

/**
 * Makes the paid video from a ready preview: a new video (`preview_of` = the preview) with the
 * preview's stored plan (the plan step finds it and never calls the planner), its scenes with each
 * scene's current prompt (an edited prompt included), its flavor, model, creativity and assets. It
 * goes through the estimate, the daily budget and the approval threshold exactly like `create`.
 * Refused, changing nothing: another owner's video (`not_found`), a video that is not a preview
 * (`not_a_preview`), a deployment without a paid provider (`no_paid_provider`), a preview that is
 * still running or did not finish (`preview_not_ready`).
 */
export async function renderPreview(ctx: ServiceContext, owner: Owner, videoId: string): Promise<VideoView> {
  const { deps } = ctx;
  const { db, registry, runner } = deps;
  const preview = await ctx.ownedVideo(owner, videoId);
  if (preview.provider !== PREVIEW_PROVIDER) {
    const from = preview.preview_of ? ` (it was rendered from preview ${preview.preview_of})` : '';
    throw new UserError(
      'not_a_preview',
      `Video ${preview.id} is not a preview${from}; only a preview can be rendered. Make one with --preview first.`,
    );
  }
  if (deps.providers.name === PREVIEW_PROVIDER) {
    throw new UserError(
      'no_paid_provider',
      'This deployment has no paid provider configured, so a preview cannot be rendered; set REPLICATE_API_TOKEN.',
    );
  }
  if (preview.status !== 'ready') {
    const hint =
      preview.status === 'failed' || preview.status === 'cancelled'
        ? 'make a new preview (or regenerate its scenes) first'
        : 'wait until it is ready';
    throw new UserError('preview_not_ready', `Preview ${preview.id} is ${preview.status}; ${hint}, then render it.`);
  }
  if (!preview.plan) {
    throw new UserError('preview_not_ready', `Preview ${preview.id} has no plan yet; wait until it is ready.`);
  }
  const scenes = await Promise.all(
    (await listScenes(db, preview.id)).map(async (scene) => ({
      scene,
      prompt: (await findCurrentClipVersion(db, scene.id))?.prompt ?? scene.prompt,
    })),
  );
  const model = registry.get(preview.model_key, 'video');
  const cost = estimateVideoCost({
    video: model,
    image: registry.defaultFor('image'),
    music: registry.defaultFor('music'),
    sceneDurationsS: scenes.map(({ scene }) => scene.duration_s),
    storyboardImages: scenes.length,
    musicDurationS: preview.duration_s + 5,
  });
  const estimateUsd = Math.round(cost.totalUsd * 10_000) / 10_000;
  const threshold = deps.approvalThresholdUsd;
  const needsApproval = threshold !== undefined && estimateUsd > threshold;
  const video = await withUserLock(db, preview.user_id, async (trx) => {
    await assertWithinBudget(trx, preview.user_id, estimateUsd, deps.dailyBudgetUsd);
    const { video: inserted } = await insertVideo(trx, {
      id: randomUUID(),
      user_id: preview.user_id,
      mode: preview.mode,
      status: needsApproval ? 'awaiting_approval' : 'queued',
      prompt: preview.prompt,
      duration_s: preview.duration_s,
      model_key: preview.model_key,
      flavor: preview.flavor,
      provider: deps.providers.name,
      creativity: preview.creativity,
      plan: preview.plan as object,
      options: preview.options,
      origin: preview.origin,
      idempotency_key: null,
      estimated_cost_usd: estimateUsd,
      preview_of: preview.id,
    });
    await insertScenes(
      trx,
      scenes.map(({ scene, prompt }) => ({
        video_id: inserted.id,
        index: scene.index,
        start_s: scene.start_s,
        duration_s: scene.duration_s,
        beat_id: scene.beat_id,
        prompt,
        negative_prompt: scene.negative_prompt,
        direction_prompt: scene.direction_prompt,
        camera_movement: scene.camera_movement,
        shot_type: scene.shot_type,
      })),
    );
    return inserted;
  });
  await start(ctx, video, needsApproval, estimateUsd);
  return ctx.view((await findVideoById(db, video.id)) ?? video);

  async function start(context: ServiceContext, row: VideoRow, hold: boolean, usd: number): Promise<void> {
    if (hold) {
      const message = `Estimated $${usd.toFixed(2)} is above the approval threshold of $${threshold?.toFixed(2)}; approve it to start.`;
      await setVideoStatus(db, row.id, 'awaiting_approval', { stageMessage: message });
      await context.deps.events.emit(
        { videoId: row.id, kind: 'awaiting_approval', stage: 'awaiting_approval', percent: 0, message },
        `${row.id}.awaiting_approval`,
      );
      return;
    }
    await context.deps.events.emit(
      { videoId: row.id, kind: 'queued', stage: 'queued', percent: 0 },
      `${row.id}.created`,
    );
    await runner.submit({ kind: 'create', videoId: row.id });
  }
}
