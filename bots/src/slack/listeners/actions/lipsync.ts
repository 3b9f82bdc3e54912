import type { SlackContext } from '../../context.js';
import { type ButtonArgs, videoAction } from './video-action.js';

/** Lipsync: the scene lip-synced to the video's audio track. */
export function lipsync(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  return videoAction(args, ctx, { scene: true }, async (owner, { videoId, scene }) => {
    await ctx.service.lipsyncScene(owner, videoId, scene);
    return `Lip-syncing scene ${scene} to the video’s audio track…`;
  });
}
