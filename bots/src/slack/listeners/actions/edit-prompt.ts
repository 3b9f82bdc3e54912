import { parseActionValue } from '../../action-ids.js';
import { explain, ownerOf, type SlackContext } from '../../context.js';
import { editPromptModal } from '../../views.js';
import { type ButtonArgs, pressedIn, tellPresser } from './video-action.js';

/**
 * Edit prompt: opens a modal prefilled with the scene's prompt (the trigger lives 3 s, so the modal
 * opens before anything else). Someone else's video is refused like any other button.
 */
export async function editPrompt(args: ButtonArgs, ctx: SlackContext): Promise<void> {
  await args.ack();
  const target = parseActionValue(args.action.value);
  if (target?.scene === undefined) {
    await tellPresser(args, 'This button is not one of ours.');
    return;
  }
  const owner = ownerOf(args.body.team?.id ?? args.body.user.team_id, args.body.user.id);
  try {
    const view = await ctx.service.get(owner, target.videoId);
    const scene = view.scenes[target.scene - 1];
    if (!scene) throw new Error(`scene ${target.scene} is gone`);
    const where = pressedIn(args.body);
    await args.client.views.open({
      trigger_id: args.body.trigger_id,
      view: editPromptModal(
        {
          videoId: target.videoId,
          scene: target.scene,
          channelId: where.channel,
          ...(where.thread_ts ? { threadTs: where.thread_ts } : {}),
        },
        scene.prompt,
      ) as never,
    });
  } catch (error) {
    await tellPresser(args, explain(error, ctx, true));
  }
}
