import { randomUUID } from 'node:crypto';
import { findCurrentClipVersion } from '../db/clip-versions.js';
import { insertScenes, listScenes } from '../db/scenes.js';
import type { VideoRow } from '../db/schema.js';
import { findLiveRenderOfTake, findVideoById, insertVideo, setVideoStatus } from '../db/videos.js';
import { UserError } from '../errors.js';
import { assertWithinBudget, withUserLock } from '../ledger/budget.js';
import { estimateVideoCost } from '../models/estimate.js';
import { estimateOf } from './catalog.js';
import { placeOfOrigin } from './origin.js';
import type { ServiceContext } from './service-context.js';
import type { Estimate, Origin, Owner, VideoView } from './types.js';

export interface RenderOptions {
  /** Where the render's progress and cards go (the chat a render button was pressed in). */
  origin?: Origin;
}

/** The provider a preview is rendered with: every other provider makes the paid video. */
export const PREVIEW_PROVIDER = 'animatic';

/**
 * The owner's preview, checked for rendering. Refused, changing nothing: another owner's video
 * (`not_found`), a video that is not a preview (`not_a_preview`), a deployment without a paid
 * provider (`no_paid_provider`), a preview without a plan yet (`preview_not_ready`) and, when
 * `ready` is asked for, a preview that is still running or did not finish (`preview_not_ready`).
 */
async function renderablePreview(
  ctx: ServiceContext,
  owner: Owner,
  videoId: string,
  need: { ready: boolean },
): Promise<VideoRow> {
  const { deps } = ctx;
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
  if (need.ready && preview.status !== 'ready') {
    const hint =
      preview.status === 'failed' || preview.status === 'cancelled'
        ? 'make a new preview (or regenerate its scenes) first'
        : 'wait until it is ready';
    throw new UserError('preview_not_ready', `Preview ${preview.id} is ${preview.status}; ${hint}, then render it.`);
  }
  if (!preview.plan) {
    throw new UserError('preview_not_ready', `Preview ${preview.id} has no plan yet; wait until it is ready.`);
  }
  return preview;
}

/**
 * What rendering `preview` would make: its scenes, each with its current prompt (an edited one
 * included), and the paid estimate of generating them on the deployment's provider. Image pairs
 * have no storyboard frames (the user's images are the frames) and no music, as in `estimate`.
 */
async function renderPlan(ctx: ServiceContext, preview: VideoRow) {
  const { db, registry, providers } = ctx.deps;
  const scenes = await Promise.all(
    (await listScenes(db, preview.id)).map(async (scene) => ({
      scene,
      prompt: (await findCurrentClipVersion(db, scene.id))?.prompt ?? scene.prompt,
    })),
  );
  const pairs = preview.mode === 'image_pairs';
  const cost = estimateVideoCost({
    video: registry.get(preview.model_key, 'video'),
    image: registry.defaultFor('image'),
    music: registry.defaultFor('music'),
    sceneDurationsS: scenes.map(({ scene }) => scene.duration_s),
    storyboardImages: pairs ? 0 : scenes.length,
    musicDurationS: pairs ? 0 : preview.duration_s + 5,
  });
  return { scenes, estimate: estimateOf(cost, preview.model_key, providers.name, preview.duration_s) };
}

/**
 * What `render` of this preview would cost on the deployment's paid provider (the same scenes,
 * prompts and model, so the same amount the render's budget check and approval threshold use),
 * without creating anything. Refused like `render`, except that a preview still running can be
 * estimated once it has a plan.
 */
export async function estimateRender(ctx: ServiceContext, owner: Owner, videoId: string): Promise<Estimate> {
  const preview = await renderablePreview(ctx, owner, videoId, { ready: false });
  return (await renderPlan(ctx, preview)).estimate;
}

/**
 * Makes the paid video from a ready preview: a new video (`preview_of` = the preview) with the
 * preview's stored plan (the plan step finds it and never calls the planner), its scenes with each
 * scene's current prompt (an edited prompt included), its flavor, model, creativity and assets. It
 * goes through the estimate, the daily budget and the approval threshold exactly like `create`.
 * Its messages go to `opts.origin` (where the render was asked), else to the place the preview was
 * asked from, never into the preview's own messages.
 *
 * Rendering the same take of a preview again while an earlier render of it has not failed or been
 * cancelled returns that render instead of a second one (a double click, a retried request or a
 * second press of a card's button pays once); after the preview changes (a regenerated scene, a
 * re-stitch: a new take) it renders anew. Renders of one user are serialised by the user's lock.
 * Refused, changing nothing: see `renderablePreview`.
 */
export async function renderPreview(
  ctx: ServiceContext,
  owner: Owner,
  videoId: string,
  opts: RenderOptions = {},
): Promise<VideoView> {
  const { deps } = ctx;
  const { db } = deps;
  const preview = await renderablePreview(ctx, owner, videoId, { ready: true });
  const { scenes, estimate } = await renderPlan(ctx, preview);
  const estimateUsd = estimate.totalUsd;
  const threshold = deps.approvalThresholdUsd;
  const needsApproval = threshold !== undefined && estimateUsd > threshold;
  const pairs = preview.mode === 'image_pairs';
  // The render belongs to the identity that asked for it (a linked identity may render another's
  // preview): like every row, it stays with its maker when the identities are unlinked.
  const userId = await ctx.userIdOf(owner);
  const { video, created } = await withUserLock(db, userId, async (trx) => {
    const earlier = await findLiveRenderOfTake(trx, preview.id, preview.current_take_id);
    if (earlier) return { video: earlier, created: false };
    await assertWithinBudget(trx, userId, estimateUsd, deps.dailyBudgetUsd);
    const { video: inserted } = await insertVideo(trx, {
      id: randomUUID(),
      user_id: userId,
      mode: preview.mode,
      status: needsApproval ? 'awaiting_approval' : 'queued',
      prompt: preview.prompt,
      duration_s: preview.duration_s,
      model_key: preview.model_key,
      flavor: preview.flavor,
      provider: deps.providers.name,
      creativity: preview.creativity,
      plan: preview.plan as object,
      options: { ...preview.options, renderedFromTakeId: preview.current_take_id },
      origin: opts.origin ?? placeOfOrigin(preview.origin),
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
        // Image pairs: the pair's images are the scene's frames (no storyboard step draws them).
        ...(pairs ? { storyboard_key: scene.storyboard_key, last_frame_image_key: scene.last_frame_image_key } : {}),
      })),
    );
    return { video: inserted, created: true };
  });
  if (created) await start(ctx, video, needsApproval, estimateUsd);
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
    await context.deps.runner.submit({ kind: 'create', videoId: row.id });
  }
}
