import type { Reelsmith } from '../../app.js';
import type { VideoView } from '../../service/types.js';
import { type CliContext, printJson } from '../context.js';
import { createProgressBar } from '../progress-bar.js';
import { renderVideo } from '../render.js';

/** Follows a video's events on a progress bar until its work settles, then returns its view. */
export async function waitForVideo(app: Reelsmith, ctx: CliContext, videoId: string): Promise<VideoView> {
  const bar = createProgressBar(ctx.stderr);
  const stop = new AbortController();
  const following = (async () => {
    for await (const event of app.service.events(videoId, stop.signal)) bar.update(event);
  })();
  try {
    await app.service.settled(videoId);
  } finally {
    stop.abort();
    await following.catch(() => {});
    bar.done();
  }
  return app.service.get(ctx.owner, videoId);
}

/**
 * 0 when the video ended ready and its latest work did what was asked; 1 when the video failed or
 * was cancelled, or when the work failed although the video stays ready (a regenerated scene whose
 * new version failed keeps the previous take).
 */
export function exitCodeOf(view: VideoView): number {
  return view.status === 'ready' && view.work?.status !== 'failed' ? 0 : 1;
}

/** Waits for the video's work, prints it (JSON with the runner, or text) and returns the exit code. */
export async function followAndPrint(app: Reelsmith, ctx: CliContext, videoId: string, json: boolean): Promise<number> {
  const view = await waitForVideo(app, ctx, videoId);
  if (json) printJson(ctx, { ...view, runner: app.runner });
  else ctx.stdout.write(renderVideo(view));
  const code = exitCodeOf(view);
  if (code !== 0 && !json) {
    const why = view.work?.status === 'failed' ? (view.message ?? view.work.error?.message) : view.error?.message;
    if (why) ctx.stderr.write(`reelsmith: ${why}\n`);
  }
  return code;
}
