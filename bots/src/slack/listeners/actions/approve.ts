import type { SlackContext } from '../../context.js';
import { type ButtonArgs, videoAction } from './video-action.js';

/** Approve: starts a video whose estimate was over the approval threshold. */
export function approve(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  return videoAction(args, ctx, { scene: false }, async (owner, { videoId }) => {
    await ctx.service.approve(owner, videoId);
    return 'Approved: the video starts now.';
  });
}
