import type { App } from '@slack/bolt';
import type { SlackContext } from '../../context.js';
import { videoCommand } from './video.js';

/** Slash commands: `/video` (the manifest declares it). */
export function registerCommands(app: App, ctx: SlackContext): void {
  app.command('/video', (args) => videoCommand(args, ctx));
}
