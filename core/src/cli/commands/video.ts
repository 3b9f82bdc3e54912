import { UserError } from '../../errors.js';
import { numberOption, parseCommandArgs, requiredPositional, stringOption } from '../args.js';
import { type CliCommand, printJson } from '../context.js';
import { renderVideo } from '../render.js';
import { followAndPrint } from './wait.js';

const statusUsage = 'reelsmith status <videoId> [--json]';
export const statusCommand: CliCommand = {
  name: 'status',
  usage: statusUsage,
  summary: 'show a video: status, scenes and their versions, files, cost',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, statusUsage);
    const videoId = requiredPositional(parsed, 'the video id', statusUsage);
    const app = await ctx.open();
    const view = await app.service.get(ctx.owner, videoId);
    if (parsed.values.json) printJson(ctx, { ...view, runner: app.runner });
    else ctx.stdout.write(renderVideo(view));
    return 0;
  },
};

const regenerateUsage = 'reelsmith regenerate <videoId> --scene N [--prompt TEXT] [--json]';
export const regenerateCommand: CliCommand = {
  name: 'regenerate',
  usage: regenerateUsage,
  summary: 'make a new version of one scene (optionally with a new prompt), then re-stitch and re-score',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, { scene: { type: 'string' }, prompt: { type: 'string' } }, regenerateUsage);
    const videoId = requiredPositional(parsed, 'the video id', regenerateUsage);
    const scene = numberOption(parsed.values, 'scene', 'scene_out_of_range');
    if (scene === undefined) throw new UserError('missing_argument', `Missing --scene N. Usage: ${regenerateUsage}`);
    const prompt = stringOption(parsed.values, 'prompt');
    const app = await ctx.open();
    await app.service.regenerateScene(ctx.owner, videoId, scene, prompt === undefined ? {} : { prompt });
    return followAndPrint(app, ctx, videoId, parsed.values.json === true);
  },
};

const stitchUsage = 'reelsmith stitch <videoId> [--json]';
export const stitchCommand: CliCommand = {
  name: 'stitch',
  usage: stitchUsage,
  summary: "re-stitch a new take from every scene's current version and re-score it",
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, stitchUsage);
    const videoId = requiredPositional(parsed, 'the video id', stitchUsage);
    const app = await ctx.open();
    await app.service.restitch(ctx.owner, videoId);
    return followAndPrint(app, ctx, videoId, parsed.values.json === true);
  },
};

const cancelUsage = 'reelsmith cancel <videoId> [--json]';
export const cancelCommand: CliCommand = {
  name: 'cancel',
  usage: cancelUsage,
  summary: 'stop a video in progress (also one running in another process) and remove its partial files',
  async run(argv, ctx) {
    const parsed = parseCommandArgs(argv, {}, cancelUsage);
    const videoId = requiredPositional(parsed, 'the video id', cancelUsage);
    const app = await ctx.open();
    const view = await app.service.cancel(ctx.owner, videoId);
    if (parsed.values.json) printJson(ctx, { ...view, runner: app.runner });
    else ctx.stdout.write(`Video ${view.videoId} cancelled.\n`);
    return 0;
  },
};
