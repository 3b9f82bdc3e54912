import type { VideoEvent, VideoView } from '@reelsmith/core';
import { isSettled } from '../output/video-output.js';
import type { ServerDeps } from '../server-deps.js';
import { createProgressReporter, type ToolExtra } from './progress-reporter.js';

/**
 * Follows a video for at most `waitSeconds` and returns its latest view: at once when it is already
 * settled (ready, failed, cancelled, awaiting approval), earlier when it settles, or at the deadline
 * with whatever state it has. Live events (`service.events`) drive progress notifications and wake
 * the wait; the video is also re-read every `pollIntervalMs`, so an event missed before subscribing
 * (or a runner in another process) cannot stall it. Cancelling the request stops the wait only,
 * never the video.
 */
export async function waitForVideo(
  deps: ServerDeps,
  extra: ToolExtra,
  initial: VideoView,
  waitSeconds: number,
): Promise<VideoView> {
  if (waitSeconds <= 0 || isSettled(initial)) return initial;
  const { service, owner } = deps;
  const reporter = createProgressReporter(extra, deps.log);
  const stop = new AbortController();
  const deadline = AbortSignal.any([extra.signal, stop.signal, AbortSignal.timeout(waitSeconds * 1000)]);
  let wake: () => void = () => {};
  const following = (async () => {
    for await (const event of service.events(initial.videoId, deadline)) {
      reporter.report(event.percent, describe(event));
      wake();
    }
  })().catch((error: unknown) => deps.log.debug({ err: error }, 'stopped following video events'));

  let view = initial;
  try {
    reporter.report(view.progress, view.message ?? undefined);
    while (!deadline.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          deadline.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, deps.pollIntervalMs ?? 1000);
        wake = done;
        deadline.addEventListener('abort', done, { once: true });
      });
      view = await service.get(owner, initial.videoId);
      if (isSettled(view)) break;
      reporter.report(view.progress, view.message ?? undefined);
    }
    if (view.status === 'ready') reporter.report(100, 'Ready');
  } finally {
    stop.abort();
    await following;
    await reporter.flush();
  }
  return view;
}

function describe(event: VideoEvent): string {
  if (event.message) return event.message;
  if (event.sceneIndex !== undefined) return `${event.stage}: scene ${event.sceneIndex}`;
  return event.stage;
}
