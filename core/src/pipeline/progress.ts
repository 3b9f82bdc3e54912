import { VIDEO_STATUSES, type VideoStatus } from '../db/schema.js';
import { setVideoStatus } from '../db/videos.js';
import type { PipelineDeps } from './context.js';
import type { VideoEvent } from './events.js';

/**
 * Persists every stage change and percent to the video row (what `status` reads) and emits the
 * matching event (what live fronts read). Percent never goes backwards within one run.
 */
/** Every status but `cancelled`: a cancelled video is never brought back by work still unwinding. */
export const NOT_CANCELLED: readonly VideoStatus[] = VIDEO_STATUSES.filter((status) => status !== 'cancelled');

export interface ProgressReporter {
  stage(status: VideoStatus, percent: number, message?: string): Promise<void>;
  event(kind: VideoEvent['kind'], extra?: { sceneIndex?: number; message?: string; percent?: number }): void;
  readonly percent: number;
  readonly status: VideoStatus;
}

export function createProgressReporter(
  deps: PipelineDeps,
  videoId: string,
  start: { status: VideoStatus; percent: number },
): ProgressReporter {
  let percent = start.percent;
  let status = start.status;
  return {
    get percent() {
      return percent;
    },
    get status() {
      return status;
    },
    async stage(next, nextPercent, message) {
      percent = Math.max(percent, Math.min(100, Math.round(nextPercent)));
      status = next;
      await setVideoStatus(deps.db, videoId, next, {
        progress: percent,
        onlyFrom: NOT_CANCELLED,
        ...(message !== undefined ? { stageMessage: message } : {}),
      });
      deps.events.emit({ videoId, kind: 'progress', stage: next, percent, ...(message ? { message } : {}) });
    },
    event(kind, extra = {}) {
      if (extra.percent !== undefined) percent = Math.max(percent, Math.round(extra.percent));
      deps.events.emit({
        videoId,
        kind,
        stage: status,
        percent,
        ...(extra.sceneIndex !== undefined ? { sceneIndex: extra.sceneIndex } : {}),
        ...(extra.message !== undefined ? { message: extra.message } : {}),
      });
    },
  };
}
