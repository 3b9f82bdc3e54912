import type { McpTaskWithWork } from '../db/mcp-tasks.js';
import type { McpTaskStatus, VideoRow, VideoStatus } from '../db/schema.js';
import { OPEN_WORK_STATUSES } from '../db/works.js';
import type { VideoEvent } from '../events/types.js';

/** How a task ended, and the sentence that says so. */
export interface TaskEnd {
  status: Exclude<McpTaskStatus, 'working'>;
  message: string;
}

/** How long after its work ended a task waits for the video to show the outcome. */
const VIDEO_CATCH_UP_MS = 30_000;

/** Video statuses in which no work runs for the video (a waiting tool may return). */
const SETTLED: ReadonlySet<VideoStatus> = new Set(['ready', 'failed', 'cancelled', 'awaiting_approval']);

/**
 * Whether a working task has ended, from the work it follows and its video:
 * - its video was cancelled → `cancelled`;
 * - it follows no work (the call left the video awaiting approval) → it ends as the video settles:
 *   `completed` for ready or awaiting approval (the call's answer is "approve it"), `failed` for failed;
 * - its work ended → `cancelled`; else, once the video shows the outcome (a work is marked ended
 *   just before its video becomes ready or failed), `failed` for a failed work or video, `completed`
 *   otherwise.
 * Undefined while the work waits or runs.
 */
export function taskEndOf(task: McpTaskWithWork, video: VideoRow, now = new Date()): TaskEnd | undefined {
  if (video.status === 'cancelled') {
    return { status: 'cancelled', message: video.stage_message ?? 'The video was cancelled.' };
  }
  const settled = SETTLED.has(video.status);
  if (task.work_seq === null || task.work_status === null) return settled ? endByVideo(video) : undefined;
  if (OPEN_WORK_STATUSES.includes(task.work_status)) return undefined;
  if (task.work_status === 'cancelled') return { status: 'cancelled', message: 'Its work was cancelled.' };
  // A work is marked ended just before its video shows the outcome: wait for the video (unless a
  // newer work took it over, or the video never caught up within the grace period).
  const caughtUp =
    settled ||
    task.latest_work_seq > task.work_seq ||
    now.getTime() - (task.work_finished_at?.getTime() ?? now.getTime()) > VIDEO_CATCH_UP_MS;
  if (!caughtUp) return undefined;
  if (task.work_status === 'failed') {
    return { status: 'failed', message: video.stage_message ?? video.error_message ?? 'Its work failed.' };
  }
  return endByVideo(video);
}

function endByVideo(video: VideoRow): TaskEnd {
  if (video.status === 'failed') {
    return { status: 'failed', message: video.error_message ?? video.stage_message ?? 'The video failed.' };
  }
  if (video.status === 'awaiting_approval') {
    return {
      status: 'completed',
      message: video.stage_message ?? 'The video waits for approval; approve it to start.',
    };
  }
  return { status: 'completed', message: video.stage_message ?? 'Ready.' };
}

/** One line for a working task: the latest event of its video (stage, percent, scene, line, ETA). */
export function describeEvent(event: VideoEvent): string {
  const parts = [`${event.stage.replace('_', ' ')}, ${Math.round(event.percent)}%`];
  if (event.kind === 'scene_ready' && event.sceneIndex !== undefined) {
    parts.push(`scene ${event.sceneIndex}${event.sceneCount ? ` of ${event.sceneCount}` : ''} ready`);
  }
  if (event.kind === 'storyboard_ready') parts.push('storyboard ready');
  if (event.queuePosition !== undefined) parts.push(`number ${event.queuePosition} in your line`);
  if (event.message) parts.push(event.message);
  if (event.etaS !== undefined && event.etaS > 0) parts.push(`about ${formatSeconds(event.etaS)} left`);
  return parts.join('; ');
}

/** One line for a working task whose video has no event yet. */
export function describeVideo(video: VideoRow): string {
  const head = `${video.status.replace('_', ' ')}, ${Math.round(video.progress)}%`;
  return video.stage_message ? `${head}; ${video.stage_message}` : head;
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  return `${Math.round(seconds / 60)} min`;
}
