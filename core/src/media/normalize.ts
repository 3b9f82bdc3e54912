import { presetOutputArgs } from './encode-preset.js';
import type { FrameSpec } from './frame-filters.js';
import { assertFrameSpec, audioTrackFilter, frameFilter, silenceSource } from './frame-filters.js';
import { probe } from './probe.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `normalizeClip`: the target frame (`fit` defaults to `pad`). */
export interface NormalizeClipOptions extends FrameSpec {
  signal?: AbortSignal | undefined;
}

/**
 * Re-encodes `input` into `out` with the shared preset: exactly width×height (letterboxed or cropped),
 * constant fps, yuv420p, and always an AAC stereo track as long as the video (silence when the input has
 * none). Clips normalised to the same spec can then be joined by stream copy.
 * @throws UserError `media_not_found` / `media_invalid` naming `input`, or `media_invalid_options`;
 *   PermanentError when ffmpeg fails.
 */
export async function normalizeClip(input: string, out: string, options: NormalizeClipOptions): Promise<void> {
  assertFrameSpec(options);
  const { signal } = options;
  const info = await probe(input, { signal });
  const durationS = info.videoDurationS;
  const audio = info.hasAudio ? `[0:a:0]${audioTrackFilter(durationS)}[a]` : `${silenceSource(durationS)}[a]`;
  const graph = `[0:v:0]${frameFilter(options)}[v];${audio}`;
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(input).complexFilter(graph).output(partial);
    addOutputArgs(command, ['-map', '[v]', '-map', '[a]', ...presetOutputArgs(options.fps)]);
    await runFfmpeg(command, { signal, task: `normalise ${input}` });
  });
}
