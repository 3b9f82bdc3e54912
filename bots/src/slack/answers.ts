import {
  ACTIVE_VIDEO_STATUSES,
  type CreateVideoRequest,
  type Owner,
  UserError,
  type VideoSummary,
} from '@reelsmith/core';
import { linkCodeText, linkedText, unlinkedText } from '../shared/link-text.js';
import { costLine, statusLines, truncate } from '../shared/progress-text.js';
import { previewNote } from '../shared/render-offer.js';
import { escapeMrkdwn } from './blocks.js';
import type { ParsedCommand } from './command-text.js';
import { USAGE } from './command-text.js';
import type { SlackContext } from './context.js';

const ACTIVE: ReadonlySet<string> = new Set(ACTIVE_VIDEO_STATUSES);

/** Where a new video's messages go, and the key that makes a repeated request one video. */
export interface CreatePlace {
  teamId: string;
  channelId: string;
  idempotencyKey: string;
}

/**
 * Starts a video with its Slack origin (`create` validates the request and says what is wrong);
 * `preview`: a free animatic preview, whose final card offers the paid render.
 */
export async function startVideo(
  ctx: SlackContext,
  owner: Owner,
  request: CreateVideoRequest,
  place: CreatePlace,
  preview = false,
): Promise<string> {
  const view = await ctx.service.create(owner, request, {
    idempotencyKey: place.idempotencyKey,
    origin: { platform: 'slack', teamId: place.teamId, channelId: place.channelId },
    preview,
  });
  const paid = view.preview && (await ctx.service.estimate(request)).provider !== 'animatic';
  const where =
    view.status === 'awaiting_approval'
      ? 'It waits for your approval in this channel.'
      : 'Progress is posted in this channel, scene cards in its thread.';
  return `Video \`${view.videoId}\` started${previewNote(view, paid)}. ${where}`;
}

/** The answer to a parsed `/video` text (every subcommand but the form). */
export async function answerCommand(
  ctx: SlackContext,
  owner: Owner,
  parsed: Exclude<ParsedCommand, { kind: 'modal' }>,
  place: CreatePlace,
): Promise<string> {
  const { service } = ctx;
  switch (parsed.kind) {
    case 'error':
      return parsed.message;
    case 'help':
      return USAGE;
    case 'models':
      return service
        .listModels()
        .map((model) => `\`${model.key}\` ${model.kind} · ${escapeMrkdwn(model.label)}`)
        .join('\n');
    case 'flavors':
      return service
        .listFlavors()
        .map((flavor) => `\`${flavor.name}\` ${escapeMrkdwn(flavor.description ?? '')}`)
        .join('\n');
    case 'estimate': {
      const estimate = await service.estimate(parsed.request);
      const charged =
        estimate.chargedUsd === 0 && estimate.provider === 'animatic' ? ' (an animatic preview here costs $0)' : '';
      return `${estimate.durationS} s on ${estimate.model}: about $${estimate.totalUsd.toFixed(2)}${charged}.`;
    }
    case 'status': {
      const view = await service.get(owner, parsed.videoId ?? (await latest(ctx, owner, () => true)));
      return [
        `*${escapeMrkdwn(truncate(view.prompt, 200))}* \`${view.videoId}\``,
        ...statusLines(view).map(escapeMrkdwn),
        costLine(view),
      ].join('\n');
    }
    case 'cancel': {
      const videoId = parsed.videoId ?? (await latest(ctx, owner, (video) => ACTIVE.has(video.status)));
      const view = await service.cancel(owner, videoId);
      return `Video \`${view.videoId}\` cancelled.`;
    }
    case 'link': {
      const options = { here: 'Slack', escape: escapeMrkdwn } as const;
      if (parsed.code === undefined) return linkCodeText(await service.startLink(owner), options);
      return linkedText(await service.completeLink(owner, parsed.code), options);
    }
    case 'unlink':
      await service.unlink(owner);
      return unlinkedText({ here: 'Slack' });
    case 'create':
      return startVideo(ctx, owner, parsed.request, place, parsed.preview);
  }
}

async function latest(ctx: SlackContext, owner: Owner, fits: (video: VideoSummary) => boolean): Promise<string> {
  const video = (await ctx.service.list(owner, { limit: 20 })).find(fits);
  if (!video) throw new UserError('not_found', 'You have no such video yet; make one with `/video <prompt>`.');
  return video.videoId;
}
