import type { SlackContext } from '../../context.js';
import { type ButtonArgs, videoAction } from './video-action.js';

/** Regenerate: a new version of the scene with its current prompt. */
export function regenerate(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  return videoAction(args, ctx, { scene: true }, async (owner, { videoId, scene }) => {
    await ctx.service.regenerateScene(owner, videoId, scene);
    return `Regenerating scene ${scene}…`;
  });
}
