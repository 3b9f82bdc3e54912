import { join } from 'node:path';
import { presetAudioArgs } from '../../media/encode-preset.js';
import { audioTrackFilter } from '../../media/frame-filters.js';
import { probe, probeAudio } from '../../media/probe.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { writeAtomically } from '../../media/temp.js';
import type { GeneratedFile, LipsyncProvider, LipsyncRequest, ProviderCallContext } from '../types.js';
import { wouldCostUsd } from './cost.js';

/** File name of the lip-synced clip in `ctx.workDir`. */
export const LIPSYNC_FILE = 'animatic_lipsync.mp4';

/**
 * The animatic lipsync provider. `lipsync` writes `animatic_lipsync.mp4` into `ctx.workDir`: the
 * video stream of `video` copied unchanged and `audio` as its only sound (AAC per the media preset),
 * cut or padded with silence to the video stream's length. No mouth moves: it previews the timing.
 * Costs nothing; `wouldCostUsd` is the model's price for a clip of that length.
 * @throws UserError `media_not_found` / `media_invalid` naming a bad input (an `audio` without sound).
 */
export function createAnimaticLipsyncProvider(): LipsyncProvider {
  return { name: 'animatic', lipsync };
}

async function lipsync(req: LipsyncRequest, ctx: ProviderCallContext): Promise<GeneratedFile> {
  const { signal } = ctx;
  const info = await probe(req.video, { signal });
  await probeAudio(req.audio, { signal });
  const durationS = info.videoDurationS;
  const out = join(ctx.workDir, LIPSYNC_FILE);
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(req.video).input(req.audio);
    command.complexFilter(`[1:a:0]${audioTrackFilter(durationS)}[a]`).output(partial);
    addOutputArgs(command, ['-map', '0:v:0', '-map', '[a]', '-c:v', 'copy', ...presetAudioArgs()]);
    addOutputArgs(command, ['-movflags', '+faststart']);
    await runFfmpeg(command, { signal, task: `lay ${req.audio} over ${req.video}` });
  });
  return {
    path: out,
    provider: 'animatic',
    model: req.model.key,
    costUsd: 0,
    wouldCostUsd: wouldCostUsd(req.model, { seconds: durationS }),
    durationS,
  };
}
