import { findVideoById } from '../db/videos.js';
import { PermanentError } from '../errors.js';
import type { Plan } from '../plan/index.js';
import type { StepContext } from './context.js';
import { musicVolume } from './music-request.js';
import type { ProgressReporter } from './progress.js';
import { forStep } from './scene-nodes.js';
import { scoreStep } from './steps/score.js';
import { stitchStep } from './steps/stitch.js';

/**
 * Stitch a new take from the current scene versions, score it with the stored music, and mark
 * the video ready. Failed scenes are left out and named in the final message.
 */
export async function finishVideo(
  ctx: StepContext,
  progress: ProgressReporter,
  notes: { musicNote?: string | undefined } = {},
): Promise<void> {
  const { deps, video } = ctx;
  const scenes = await deps.db
    .selectFrom('scenes')
    .select(['index', 'status'])
    .where('video_id', '=', video.id)
    .orderBy('index')
    .execute();
  const failed = scenes.filter((scene) => scene.status === 'failed').map((scene) => scene.index + 1);
  if (failed.length === scenes.length) {
    throw new PermanentError(`Every scene failed to generate (scenes ${failed.join(', ')})`);
  }
  await progress.stage('stitching', 88);
  const take = await stitchStep({ ...forStep(ctx, 'stitch'), signal: ctx.signal });
  await progress.stage('scoring', 94);
  const fresh = await findVideoById(deps.db, video.id);
  const scored = await scoreStep(
    { ...forStep(ctx, 'score', take.number), signal: ctx.signal },
    { take, musicKey: fresh?.music_key ?? null, volume: musicVolume((fresh?.plan ?? null) as Plan | null) },
  );
  const messages = [
    failed.length > 0 ? `Scenes ${failed.join(', ')} failed and were left out; regenerate them to fill the gap.` : '',
    scored.withMusic ? '' : (notes.musicNote ?? 'Delivered without music.'),
  ].filter(Boolean);
  const message = messages.join(' ') || 'Ready.';
  await progress.stage('ready', 100, message);
  progress.event('video_ready', { message });
}
