import type { App, ViewSubmitAction } from '@slack/bolt';
import { VIEW } from '../../action-ids.js';
import type { SlackContext } from '../../context.js';
import { createVideoSubmitted } from './create-video.js';
import { editPromptSubmitted } from './edit-prompt.js';

/** The modals' submissions: the create form and the Edit prompt form. */
export function registerViews(app: App, ctx: SlackContext, fileHosts: readonly string[]): void {
  app.view<ViewSubmitAction>(VIEW.createVideo, (args) => createVideoSubmitted(args, ctx, fileHosts));
  app.view<ViewSubmitAction>(VIEW.editPrompt, (args) => editPromptSubmitted(args, ctx));
}
