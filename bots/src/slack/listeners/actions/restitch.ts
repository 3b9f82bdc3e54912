import type { SlackContext } from '../../context.js';
import { type ButtonArgs, videoAction } from './video-action.js';

/** Re-stitch: a new take from the current version of every scene. */
export function restitch(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  return videoAction(args, ctx, { scene: false }, async (owner, { videoId }) => {
    await ctx.service.restitch(owner, videoId);
    return 'Re-stitching the current versions of every scene…';
  });
}
