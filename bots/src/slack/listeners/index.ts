import type { App } from '@slack/bolt';
import type { SlackContext } from '../context.js';
import { registerActions } from './actions/index.js';
import { registerCommands } from './commands/index.js';
import { registerEvents } from './events/index.js';
import { registerViews } from './views/index.js';

/** Every listener, by kind (the Bolt template's layout: one folder per kind, one file per listener). */
export function registerListeners(app: App, ctx: SlackContext, options: { fileHosts: readonly string[] }): void {
  registerCommands(app, ctx);
  registerActions(app, ctx);
  registerViews(app, ctx, options.fileHosts);
  registerEvents(app, ctx);
}
