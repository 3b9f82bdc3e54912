import type { SlackContext } from '../../context.js';
import { type ButtonArgs, videoAction } from './video-action.js';

/** Cancel: stops the video's work in flight. */
export function cancel(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  return videoAction(args, ctx, { scene: false }, async (owner, { videoId }) => {
    await ctx.service.cancel(owner, videoId);
    return 'Cancelled.';
  });
}
