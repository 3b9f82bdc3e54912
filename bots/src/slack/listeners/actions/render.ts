import { renderAnswer } from '../../../shared/render-offer.js';
import type { SlackContext } from '../../context.js';
import { type ButtonArgs, pressedIn, videoAction } from './video-action.js';

/**
 * Render for $X: the paid video of a preview, its cards posted in the channel the button was
 * pressed in (an approval card first when its estimate is over the threshold). A second press, a
 * double click included, finds the first render of the unchanged preview: one paid video.
 */
export function render(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  return videoAction(args, ctx, { scene: false }, async (owner, { videoId }) => {
    const teamId = args.body.team?.id ?? args.body.user.team_id ?? '';
    const view = await ctx.service.render(owner, videoId, {
      origin: { platform: 'slack', teamId, channelId: pressedIn(args.body).channel },
    });
    return renderAnswer(view);
  });
}
