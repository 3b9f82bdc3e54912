import { presetOutputArgs } from './encode-preset.js';
import type { FrameSpec } from './frame-filters.js';
import {
  assertFrameSpec,
  audioSamplesFilter,
  exactFramesFilter,
  frameFilter,
  sampleSpans,
  silenceSamplesSource,
} from './frame-filters.js';
import { probe } from './probe.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `normalizeClip`: the target frame (`fit` defaults to `pad`). */
export interface NormalizeClipOptions extends FrameSpec {
  signal?: AbortSignal | undefined;
}

/**
 * Re-encodes `input` into `out` with the shared preset: exactly width×height (letterboxed or cropped),
 * constant fps, yuv420p, exactly round(video duration × fps) frames, and always an AAC stereo track
 * exactly as long as that video (padded with silence or cut; silence when the input has none). Clips normalised to the same spec can then be joined by stream copy.
 * @throws UserError `media_not_found` / `media_invalid` naming `input`, or `media_invalid_options`;
 *   PermanentError when ffmpeg fails.
 */
export async function normalizeClip(input: string, out: string, options: NormalizeClipOptions): Promise<void> {
  assertFrameSpec(options);
  const { signal } = options;
  const info = await probe(input, { signal });
  const frames = Math.max(1, Math.round(info.videoDurationS * options.fps));
  const samples = sampleSpans([frames / options.fps])[0] as number;
  const audio = info.hasAudio ? `[0:a:0]${audioSamplesFilter(samples)}[a]` : `${silenceSamplesSource(samples)}[a]`;
  const graph = `[0:v:0]${frameFilter(options)},${exactFramesFilter(frames)}[v];${audio}`;
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(input).complexFilter(graph).output(partial);
    addOutputArgs(command, ['-map', '[v]', '-map', '[a]', ...presetOutputArgs(options.fps)]);
    await runFfmpeg(command, { signal, task: `normalise ${input}` });
  });
}
