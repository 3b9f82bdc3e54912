import { type Logger, type Owner, UserError, type VideoService } from '@reelsmith/core';

/** What every listener gets. The app talks to nothing but the VideoService (and Slack). */
export interface SlackContext {
  service: VideoService;
  log: Logger;
  /** The bot token: Slack's private file URLs take it (sent to Slack's file host only). */
  botToken: string;
  /**
   * Called once this request is acknowledged; resolves when no other request is still waiting for
   * its ack (at most 1 s), so a burst of commands is acknowledged before any does its work.
   */
  acked(): Promise<void>;
}

/** The Reelsmith owner behind a Slack user: user ids are unique within a workspace, so the team is part of it. */
export function ownerOf(teamId: string | undefined, userId: string, name?: string): Owner {
  return { platform: 'slack', platformUserId: `${teamId ?? 'T?'}:${userId}`, ...(name ? { displayName: name } : {}) };
}

/** The refusal shown when someone presses a button of a video that is not theirs. */
export const NOT_YOURS =
  'This video is not yours (or no longer exists): only the person who made it can use its buttons.';

/**
 * What to tell the person about a failed request: a UserError's own message (a video another user
 * owns reads as "not yours" from a button), else a short line while the details go to the log.
 */
export function explain(error: unknown, ctx: Pick<SlackContext, 'log'>, fromButton = false): string {
  if (error instanceof UserError) {
    if (fromButton && error.code === 'not_found') return NOT_YOURS;
    return error.message;
  }
  ctx.log.error({ err: error }, 'slack request failed');
  return 'Something went wrong on our side. It has been logged; please try again.';
}
