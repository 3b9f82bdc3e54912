import { parseCommandArgs, requiredPositional } from '../args.js';
import type { CliCommand } from '../context.js';
import { followAndPrint } from './wait.js';

const approveUsage = 'reelsmith approve <videoId> [--json]';
export const approveCommand: CliCommand = {
  name: 'approve',
  usage: approveUsage,
  summary: 'start a video that waits for approval because its estimate is above APPROVAL_THRESHOLD_USD',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, approveUsage);
    const videoId = requiredPositional(parsed, 'the video id', approveUsage);
    const app = await ctx.open();
    await app.service.approve(ctx.owner, videoId);
    return followAndPrint(app, ctx, videoId, parsed.values.json === true);
  },
};
