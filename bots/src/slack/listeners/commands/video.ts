import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { answerCommand } from '../../answers.js';
import { parseCommandText } from '../../command-text.js';
import { explain, ownerOf, type SlackContext } from '../../context.js';
import { createVideoModal } from '../../views.js';

/**
 * `/video …`: a parse error or `help` is the ack itself; `/video` alone opens the form; anything
 * else is acknowledged at once ("working on it") and answered through `response_url`, replacing
 * that line. Every answer is ephemeral; the video's messages are posted by the notification consumer.
 */
export async function videoCommand(
  { command, ack, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
  ctx: SlackContext,
): Promise<void> {
  const parsed = parseCommandText(command.text);
  if (parsed.kind === 'error' || parsed.kind === 'help') {
    const text = await answerCommand(ctx, ownerOf(command.team_id, command.user_id), parsed, place());
    await ack({ response_type: 'ephemeral', text });
    return;
  }
  if (parsed.kind === 'modal') {
    await ack();
    await ctx.acked();
    await client.views.open({
      trigger_id: command.trigger_id,
      view: createVideoModal(
        { channelId: command.channel_id },
        ctx.service.listModels(),
        ctx.service.listFlavors(),
      ) as never,
    });
    return;
  }
  await ack({ response_type: 'ephemeral', text: parsed.kind === 'create' ? 'Starting your video…' : 'One moment…' });
  await ctx.acked();
  let text: string;
  try {
    text = await answerCommand(ctx, ownerOf(command.team_id, command.user_id, command.user_name), parsed, place());
  } catch (error) {
    text = explain(error, ctx);
  }
  await respond({ response_type: 'ephemeral', replace_original: true, text });

  function place() {
    return {
      teamId: command.team_id,
      channelId: command.channel_id,
      idempotencyKey: `slack:${command.team_id}:command:${command.trigger_id}`,
    };
  }
}
