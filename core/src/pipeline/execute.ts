import { findVideoById, setVideoStatus } from '../db/videos.js';
import { UserError } from '../errors.js';
import { videoPrefix } from '../storage/keys.js';
import { cleanupCancelled } from './cancel-cleanup.js';
import type { PipelineDeps, StepContext } from './context.js';
import { finishVideo } from './finish-video.js';
import { createProgressReporter, NOT_CANCELLED } from './progress.js';
import { runCreate } from './run-create.js';
import { type LipsyncWork, runLipsync } from './run-lipsync.js';
import { runRegenerate } from './run-regenerate.js';
import { createVideoFiles } from './video-files.js';

/** One unit of work a runner executes for a video. */
export type Work =
  | { kind: 'create'; videoId: string }
  | { kind: 'regenerate'; videoId: string; sceneId: string; clipVersionId: string }
  | ({ kind: 'lipsync'; videoId: string } & LipsyncWork)
  | { kind: 'restitch'; videoId: string };

/**
 * Runs `work` to the end. Every outcome is persisted: ready (possibly with failed scenes named),
 * failed (with a message a person can act on), or — when `signal` aborts — nothing more is
 * written here; the canceller owns the `cancelled` status. Resolves in every case but abort.
 */
export async function executeWork(deps: PipelineDeps, work: Work, signal: AbortSignal): Promise<void> {
  const video = await findVideoById(deps.db, work.videoId);
  if (!video) throw new UserError('not_found', `Video ${work.videoId} does not exist.`);
  const files = createVideoFiles(deps.storage, deps.workRoot, video.id);
  const log = deps.log.child({ videoId: video.id, work: work.kind });
  const progress = createProgressReporter(deps, video.id, {
    status: video.status,
    percent: work.kind === 'create' ? 0 : 5,
  });
  const watch = watchForCancel(deps, video.id, signal);
  const ctx: StepContext = { deps, video, files, signal: watch.signal, stepKey: `${video.id}.${work.kind}`, log };
  try {
    if (work.kind === 'create') await runCreate(ctx, progress);
    else if (work.kind === 'regenerate') await runRegenerate(ctx, progress, work);
    else if (work.kind === 'lipsync') await runLipsync(ctx, progress, work);
    else await finishVideo(ctx, progress);
  } catch (error) {
    if (watch.cancelledElsewhere()) {
      await cleanupCancelled(deps.db, deps.storage, video, videoPrefix(video.user_id, video.id));
      return;
    }
    if (signal.aborted) throw signal.reason ?? error;
    log.error({ err: error }, 'video run failed');
    const message = error instanceof UserError ? error.message : describeFailure(error);
    const code = error instanceof UserError ? error.code : 'generation_failed';
    await setVideoStatus(deps.db, video.id, 'failed', {
      errorCode: code,
      errorMessage: message,
      stageMessage: message,
      onlyFrom: NOT_CANCELLED,
    });
    progress.event('failed', { message });
  } finally {
    watch.stop();
    await files.dispose().catch(() => {});
  }
}

/** How often a run checks whether another process cancelled its video. */
export const CANCEL_POLL_MS = 1000;

/**
 * Links the runner's signal with the video's stored status: a `cancel` from another process (the
 * CLI, a bot, a worker) flips the row to `cancelled`, and this run aborts within a poll.
 */
function watchForCancel(deps: PipelineDeps, videoId: string, outer: AbortSignal) {
  const controller = new AbortController();
  let elsewhere = false;
  const onOuter = () => controller.abort(outer.reason);
  outer.addEventListener('abort', onOuter, { once: true });
  const timer = setInterval(() => {
    void findVideoById(deps.db, videoId).then(
      (row) => {
        if (row?.status === 'cancelled' && !controller.signal.aborted) {
          elsewhere = true;
          controller.abort(new DOMException('The video was cancelled', 'AbortError'));
        }
      },
      () => {},
    );
  }, CANCEL_POLL_MS);
  timer.unref();
  return {
    signal: controller.signal,
    cancelledElsewhere: () => elsewhere,
    stop() {
      clearInterval(timer);
      outer.removeEventListener('abort', onOuter);
    },
  };
}

function describeFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return `Generation failed: ${text.split('\n')[0]}`;
}
