import type { App, BlockButtonAction } from '@slack/bolt';
import { ACTION } from '../../action-ids.js';
import type { SlackContext } from '../../context.js';
import { approve } from './approve.js';
import { cancel } from './cancel.js';
import { editPrompt } from './edit-prompt.js';
import { lipsync } from './lipsync.js';
import { regenerate } from './regenerate.js';
import { render } from './render.js';
import { restitch } from './restitch.js';
import type { ButtonArgs } from './video-action.js';

const HANDLERS: Record<(typeof ACTION)[keyof typeof ACTION], (args: ButtonArgs, ctx: SlackContext) => Promise<void>> = {
  [ACTION.regenerate]: regenerate,
  [ACTION.editPrompt]: editPrompt,
  [ACTION.lipsync]: lipsync,
  [ACTION.restitch]: restitch,
  [ACTION.cancel]: cancel,
  [ACTION.approve]: approve,
  [ACTION.render]: render,
};

/** The cards' buttons, one listener per `action_id`. */
export function registerActions(app: App, ctx: SlackContext): void {
  for (const [actionId, handler] of Object.entries(HANDLERS)) {
    app.action<BlockButtonAction>({ type: 'block_actions', action_id: actionId }, (args) => handler(args, ctx));
  }
}
