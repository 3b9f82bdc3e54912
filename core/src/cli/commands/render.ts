import { parseCommandArgs, requiredPositional } from '../args.js';
import type { CliCommand } from '../context.js';
import { followAndPrint } from './wait.js';

const renderUsage = 'reelsmith render <previewId> [--json]';
export const renderCommand: CliCommand = {
  name: 'render',
  usage: renderUsage,
  summary: 'make the paid video from a ready preview (same plan and prompts; estimate, budget and approval apply)',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, renderUsage);
    const previewId = requiredPositional(parsed, 'the preview id', renderUsage);
    const app = await ctx.open();
    const rendered = await app.service.render(ctx.owner, previewId);
    const json = parsed.values.json === true;
    if (!json) ctx.stderr.write(`Video ${rendered.videoId} rendered from preview ${previewId} (${rendered.status}).\n`);
    return followAndPrint(app, ctx, rendered.videoId, json);
  },
};
