import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { appMention } from './app-mention.js';

/** Events API subscriptions (the manifest lists them): `app_mention`. */
export function registerEvents(app: App, ctx: SlackContext): void {
  app.event('app_mention', (args) => appMention(args, ctx));
}
