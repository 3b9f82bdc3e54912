import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findClipVersionById, updateClipVersion } from '../db/clip-versions.js';
import { findSceneById } from '../db/scenes.js';
import { PermanentError, userMessage } from '../errors.js';
import { trimAudio } from '../media/audio.js';
import { concatClips } from '../media/concat.js';
import { sceneVersionKey } from '../storage/keys.js';
import type { StepContext } from './context.js';
import { finishVideo } from './finish-video.js';
import { reserveGeneration, settleGeneration } from './ledger.js';
import type { ProgressReporter } from './progress.js';
import { forStep } from './scene-nodes.js';

export interface LipsyncWork {
  sceneId: string;
  clipVersionId: string;
  /** The scene version the lipsync runs on. */
  sourceKey: string;
  audioKey: string;
  startS: number;
  endS: number;
}

/**
 * Cuts the audio segment, runs the lipsync model on the scene's current clip, stores the result
 * (trimmed to the scene's length) as the new version, then re-stitches and re-scores. A failed
 * lipsync leaves the video ready on its previous take and says why.
 */
export async function runLipsync(ctx: StepContext, progress: ProgressReporter, work: LipsyncWork): Promise<void> {
  const { deps, video, files } = ctx;
  const scene = await findSceneById(deps.db, work.sceneId);
  const clipVersion = await findClipVersionById(deps.db, work.clipVersionId);
  if (!scene || !clipVersion) throw new PermanentError('The scene or its new version disappeared before it ran');
  await progress.stage('generating', 10, `Lip-syncing scene ${scene.index + 1}`);
  const step = { ...forStep(ctx, 'lipsync', scene.index, clipVersion.version), signal: ctx.signal };
  const workDir = await files.scratch('lipsync');
  try {
    const model = deps.registry.defaultFor('lipsync');
    const segment = join(workDir, 'segment.wav');
    await trimAudio(await files.fetch(work.audioKey), segment, {
      startS: work.startS,
      endS: work.endS,
      signal: ctx.signal,
    });
    const reservation = await reserveGeneration(step, { kind: 'lipsync', model, outputSeconds: scene.duration_s });
    const synced = await deps.providers.lipsync.lipsync(
      { model, video: await files.fetch(work.sourceKey), audio: segment },
      { signal: ctx.signal, stepKey: step.stepKey, workDir, videoId: video.id, userId: video.user_id },
    );
    await settleGeneration(step, reservation, [synced]);
    progress.event('progress', { percent: 70 });
    const fitted = join(workDir, 'scene.mp4');
    const result = await concatClips([synced.path], fitted, { targetDurationS: scene.duration_s, signal: ctx.signal });
    const key = sceneVersionKey(video.user_id, video.id, scene.index, clipVersion.version);
    await files.publish(fitted, key, 'video/mp4');
    await updateClipVersion(deps.db, clipVersion.id, {
      status: 'succeeded',
      storage_key: key,
      duration_s: result.durationS,
      cost_usd: synced.costUsd,
    });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const message = `Scene ${scene.index + 1} could not be lip-synced (${userMessage(error)}); the video keeps its previous take.`;
    await updateClipVersion(deps.db, clipVersion.id, { status: 'failed', error_message: userMessage(error) });
    await progress.stage('ready', 100, message);
    progress.event('video_ready', { message });
    return;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  progress.event('scene_ready', { sceneIndex: scene.index + 1 });
  await finishVideo(ctx, progress);
}
