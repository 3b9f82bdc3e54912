import type { Logger } from '@reelsmith/core';

/**
 * The trailing redraw of a throttled progress message: `later(videoId, ms)` runs `refresh` once that
 * time has passed (one pending per video, in the video's order); `refresh` shows the latest state and
 * resolves 0, or resolves how much longer to wait. Best effort: a restart drops a pending redraw, and
 * the video's next event redraws the message anyway.
 */
export function createTrailingRefresh(options: {
  log: Logger;
  inOrder: (videoId: string, task: () => Promise<void>) => Promise<void>;
  refresh: (videoId: string) => Promise<number>;
}) {
  const timers = new Map<string, NodeJS.Timeout>();
  let closed = false;
  const later = (videoId: string, delayMs: number): void => {
    if (timers.has(videoId) || closed) return;
    const timer = setTimeout(() => {
      timers.delete(videoId);
      options
        .inOrder(videoId, async () => {
          const wait = await options.refresh(videoId);
          if (wait > 0) later(videoId, wait);
        })
        .catch((error: unknown) => options.log.warn({ err: error, videoId }, 'progress refresh failed'));
    }, delayMs);
    timer.unref();
    timers.set(videoId, timer);
  };
  return {
    later,
    /** Drops the pending redraws. */
    close(): void {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
