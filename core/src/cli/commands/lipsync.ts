import { basename } from 'node:path';
import { UserError } from '../../errors.js';
import { numberOption, parseCommandArgs, requiredPositional, stringOption } from '../args.js';
import type { CliCommand } from '../context.js';
import { readInputFile } from './generate.js';
import { followAndPrint } from './wait.js';

const lipsyncUsage = 'reelsmith lipsync <videoId> --scene N [--audio FILE] [--start S] [--end S] [--json]';
export const lipsyncCommand: CliCommand = {
  name: 'lipsync',
  usage: lipsyncUsage,
  summary: "lip-sync scene N to the video's audio track (or FILE), then re-stitch",
  async run(argv, ctx) {
    const parsed = parseCommandArgs(
      argv,
      { scene: { type: 'string' }, audio: { type: 'string' }, start: { type: 'string' }, end: { type: 'string' } },
      lipsyncUsage,
    );
    const videoId = requiredPositional(parsed, 'the video id', lipsyncUsage);
    const scene = numberOption(parsed.values, 'scene', 'scene_out_of_range');
    if (scene === undefined) throw new UserError('missing_argument', `Missing --scene N. Usage: ${lipsyncUsage}`);
    const startS = numberOption(parsed.values, 'start', 'invalid_lipsync_range');
    const endS = numberOption(parsed.values, 'end', 'invalid_lipsync_range');
    const audio = stringOption(parsed.values, 'audio');
    const bytes = audio ? await readInputFile(audio) : undefined;
    const app = await ctx.open();
    const asset =
      audio && bytes ? await app.service.addAsset(ctx.owner, { bytes, filename: basename(audio) }, 'audio') : undefined;
    await app.service.lipsyncScene(ctx.owner, videoId, scene, {
      ...(asset ? { audioAssetId: asset.assetId } : {}),
      ...(startS !== undefined ? { startS } : {}),
      ...(endS !== undefined ? { endS } : {}),
    });
    return followAndPrint(app, ctx, videoId, parsed.values.json === true);
  },
};
