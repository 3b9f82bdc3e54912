import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { explain, ownerOf, type SlackContext } from '../../context.js';
import { type EditFormMetadata, FIELD } from '../../views.js';
import { fieldValues } from './field-values.js';

/** The Edit prompt form: an empty prompt is shown at its field; otherwise the scene is regenerated with it. */
export async function editPromptSubmitted(
  { ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs,
  ctx: SlackContext,
): Promise<void> {
  const prompt = fieldValues(view.state.values).text(FIELD.prompt);
  if (!prompt) {
    await ack({
      response_action: 'errors',
      errors: { [FIELD.prompt]: 'The prompt is empty: describe what the scene shows.' },
    });
    return;
  }
  await ack();
  await ctx.acked();
  const metadata = JSON.parse(view.private_metadata || '{}') as EditFormMetadata;
  const owner = ownerOf(body.team?.id ?? body.user.team_id, body.user.id);
  let text: string;
  try {
    await ctx.service.regenerateScene(owner, metadata.videoId, metadata.scene, { prompt });
    text = `Regenerating scene ${metadata.scene} with your prompt…`;
  } catch (error) {
    text = explain(error, ctx, true);
  }
  await client.chat.postEphemeral({
    channel: metadata.channelId,
    user: body.user.id,
    text,
    ...(metadata.threadTs ? { thread_ts: metadata.threadTs } : {}),
  });
}
