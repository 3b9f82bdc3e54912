import { UserError } from '@reelsmith/core';
import type { BotContext } from './context.js';

/** The refusal shown when someone presses a button of a video that is not theirs. */
export const NOT_YOURS =
  'This video is not yours (or no longer exists): only the person who made it can use its buttons.';

/**
 * What to tell the person about a failed request: a UserError's own message (a video another user
 * owns reads as "not yours"), else a short line while the details go to the log.
 */
export function explain(error: unknown, ctx: BotContext, fromButton = false): string {
  if (error instanceof UserError) {
    if (fromButton && error.code === 'not_found') return NOT_YOURS;
    return error.message;
  }
  ctx.log.error({ err: error }, 'discord request failed');
  return 'Something went wrong on our side. It has been logged; please try again.';
}
