import { presetOutputArgs } from '../../media/encode-preset.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { writeAtomically } from '../../media/temp.js';
import type { ClipFrame } from './settings.js';

/** Share of the clip spent fading towards the last frame, and the longest such fade in seconds. */
const FADE_SHARE = 0.4;
const MAX_FADE_S = 1.5;

/**
 * Re-encodes `clip` (an animatic clip of exactly `frames` frames of `frame`) into `out` with its end
 * cross-faded into the still `lastFrame` (cover-scaled to the frame): frames before the fade are
 * untouched, the final frame is `lastFrame` itself. The fade is a per-frame `blend`, which the 2018
 * npm ffmpeg has too (it lacks `xfade`). Audio is re-encoded from `clip`; the preset keeps the result
 * stream-copy compatible with other animatic clips. Written atomically.
 */
export async function crossFadeToImage(
  clip: string,
  lastFrame: string,
  out: string,
  options: ClipFrame & { frames: number; signal?: AbortSignal | undefined },
): Promise<void> {
  const { width, height, fps, frames, signal } = options;
  const last = Math.max(1, frames - 1);
  const fadeFrames = Math.max(1, Math.min(Math.round(MAX_FADE_S * fps), Math.round(frames * FADE_SHARE)));
  const start = Math.max(0, last - fadeFrames);
  const mix = `clip((N-${start})/${last - start},0,1)`;
  const graph = [
    `[1:v:0]scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1,format=yuv420p[end]`,
    '[0:v:0]format=yuv420p,setsar=1[start]',
    `[start][end]blend=all_expr='A*(1-${mix})+B*${mix}':shortest=1,setsar=1[v]`,
  ].join(';');
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(clip).input(lastFrame);
    addInputArgs(command, ['-loop', '1', '-framerate', String(fps)]);
    command.complexFilter(graph).output(partial);
    addOutputArgs(command, ['-map', '[v]', '-map', '0:a:0', '-frames:v', String(frames), ...presetOutputArgs(fps)]);
    addOutputArgs(command, ['-t', (frames / fps).toFixed(6)]);
    await runFfmpeg(command, { signal, task: `cross-fade ${clip} into ${lastFrame}` });
  });
}
