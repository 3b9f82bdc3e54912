import type { Owner } from '@reelsmith/core';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { type ActionTarget, parseActionValue } from '../../action-ids.js';
import { explain, ownerOf, type SlackContext } from '../../context.js';

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Where a button was pressed, for the ephemeral answer: its channel and thread. */
export function pressedIn(body: BlockButtonAction): { channel: string; thread_ts?: string } {
  const container = body.container as { channel_id?: string; thread_ts?: string };
  const channel = body.channel?.id ?? container.channel_id ?? '';
  const thread = container.thread_ts ?? (body.message as { thread_ts?: string } | undefined)?.thread_ts;
  return { channel, ...(thread ? { thread_ts: thread } : {}) };
}

/** Answers the presser only (`chat.postEphemeral` in the card's channel and thread). */
export async function tellPresser(args: ButtonArgs, text: string): Promise<void> {
  await args.client.chat.postEphemeral({ ...pressedIn(args.body), user: args.body.user.id, text });
}

/**
 * A card button: acknowledged at once, then `run` for the presser. The verbs are owner-scoped, so a
 * press by anyone but the video's owner is refused (ephemerally) and changes nothing; a double click
 * makes one job (the second press finds the video busy and says so).
 */
export async function videoAction(
  args: ButtonArgs,
  ctx: SlackContext,
  options: { scene: boolean },
  run: (owner: Owner, target: ActionTarget & { scene: number }) => Promise<string>,
): Promise<void> {
  await args.ack();
  await ctx.acked();
  const target = parseActionValue(args.action.value);
  if (!target || (options.scene && target.scene === undefined)) {
    await tellPresser(args, 'This button is not one of ours.');
    return;
  }
  const owner = ownerOf(args.body.team?.id ?? args.body.user.team_id, args.body.user.id, args.body.user.name);
  let text: string;
  try {
    text = await run(owner, { ...target, scene: target.scene ?? 0 });
  } catch (error) {
    text = explain(error, ctx, true);
  }
  await tellPresser(args, text);
}
