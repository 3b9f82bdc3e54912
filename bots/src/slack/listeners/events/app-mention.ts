import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import { answerCommand } from '../../answers.js';
import { parseCommandText, USAGE } from '../../command-text.js';
import { explain, ownerOf, type SlackContext } from '../../context.js';

/**
 * `@Reelsmith a red sneaker on a rooftop --duration 15` in a channel: the same grammar as `/video`.
 * Events API deliveries are acked before this runs and Slack retries them (`X-Slack-Retry-Num`)
 * when the ack was late: the video's idempotency key is the event id, so a retry is the same
 * video, and a retry does not answer again.
 */
export async function appMention(
  { event, body, client, context }: SlackEventMiddlewareArgs<'app_mention'> & AllMiddlewareArgs,
  ctx: SlackContext,
): Promise<void> {
  if (!event.user) return;
  const teamId = body.team_id;
  const text = event.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, ' ').trim();
  const parsed = parseCommandText(text);
  let answer: string;
  try {
    answer =
      parsed.kind === 'modal'
        ? `Tell me what to make, e.g. “@Reelsmith a red sneaker on a rooftop --duration 15”, or type \`/video\` for the form.\n${USAGE}`
        : await answerCommand(ctx, ownerOf(teamId, event.user), parsed, {
            teamId,
            channelId: event.channel,
            idempotencyKey: `slack:${teamId}:event:${body.event_id}`,
          });
  } catch (error) {
    answer = explain(error, ctx);
  }
  if (context.retryNum) {
    ctx.log.info(
      { eventId: body.event_id, retryNum: context.retryNum },
      'slack event retry: handled as the same request',
    );
    return;
  }
  await client.chat.postEphemeral({
    channel: event.channel,
    user: event.user,
    text: answer,
    ...(event.thread_ts ? { thread_ts: event.thread_ts } : {}),
  });
}
