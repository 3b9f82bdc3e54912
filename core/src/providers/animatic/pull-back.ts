import { addOutputArgs, createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { writeAtomically } from '../../media/temp.js';
import type { ClipFrame } from './settings.js';

/** How much bigger than the picture the pull-back canvas is (the dolly-out zoom, 1 + media's MOVE_ZOOM). */
export const PULL_BACK_ZOOM = 1.25;
/** Working scale of the canvas relative to the frame, so the centred picture keeps its detail. */
const CANVAS_SCALE = 2;

/**
 * Writes the canvas a dolly out starts from into `outPng`: `image` cover-scaled to the frame's aspect
 * (at twice its size) in the middle of a canvas `PULL_BACK_ZOOM` times larger, surrounded by a blurred,
 * darkened copy of itself. `imageToClip(canvas, …, 'dolly_out')` zooms from 1.25 to 1, so its first
 * frame is the picture itself and the camera then pulls back to reveal the surround; a dolly out of a
 * still cannot start at the whole picture otherwise.
 */
export async function renderPullBackCanvas(
  image: string,
  outPng: string,
  frame: ClipFrame,
  signal: AbortSignal | undefined,
): Promise<void> {
  const width = frame.width * CANVAS_SCALE;
  const height = frame.height * CANVAS_SCALE;
  const padX = Math.round((width * (PULL_BACK_ZOOM - 1)) / 2);
  const padY = Math.round((height * (PULL_BACK_ZOOM - 1)) / 2);
  const canvasW = width + 2 * padX;
  const canvasH = height + 2 * padY;
  const blur = Math.max(1, Math.floor(Math.min(canvasW, canvasH) / 24));
  const graph = [
    `[0:v:0]scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1,format=rgb24,split[fg][src]`,
    `[src]scale=${canvasW}:${canvasH},boxblur=${blur}:2,colorchannelmixer=rr=0.6:gg=0.6:bb=0.6[bg]`,
    `[bg][fg]overlay=${padX}:${padY},format=rgb24[canvas]`,
  ].join(';');
  await writeAtomically(outPng, async ({ partial }) => {
    const command = createFfmpegCommand().input(image).complexFilter(graph).output(partial);
    addOutputArgs(command, ['-map', '[canvas]', '-frames:v', '1', '-update', '1', '-c:v', 'png']);
    await runFfmpeg(command, { signal, task: `draw the pull-back canvas of ${image}` });
  });
}
