import { stat } from 'node:fs/promises';
import { probe } from './probe.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `extractLastFrame`. */
export interface ExtractLastFrameOptions {
  signal?: AbortSignal | undefined;
}

const SEEK_WINDOW_S = 1;

/**
 * Writes the very last video frame of `video` to `outPng` (full size, RGB PNG): the seed image of the
 * next chunk in a chain. Seeks to one second before the video stream's end (`-sseof`) and decodes only
 * that window, keeping the last decoded frame (`-update 1`); a clip shorter than the window, or one
 * whose window yields nothing, is decoded from the start instead.
 * @throws UserError `media_not_found` / `media_invalid` naming `video`; PermanentError when ffmpeg fails.
 */
export async function extractLastFrame(
  video: string,
  outPng: string,
  options: ExtractLastFrameOptions = {},
): Promise<void> {
  const { signal } = options;
  const info = await probe(video, { signal });
  const tailS = Math.max(0, info.durationS - info.videoDurationS);
  const windowS = SEEK_WINDOW_S + tailS;
  await writeAtomically(outPng, async ({ partial }) => {
    if (info.durationS > windowS) {
      await decodeLastFrame(video, partial, windowS, signal);
      if (await hasContent(partial)) return;
    }
    await decodeLastFrame(video, partial, undefined, signal);
  });
}

async function decodeLastFrame(
  video: string,
  outPng: string,
  fromEndS: number | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  const command = createFfmpegCommand().input(video);
  if (fromEndS !== undefined) addInputArgs(command, ['-sseof', (-fromEndS).toFixed(3)]);
  command.output(outPng);
  addOutputArgs(command, ['-map', '0:v:0', '-an', '-sn', '-update', '1', '-c:v', 'png', '-pix_fmt', 'rgb24']);
  await runFfmpeg(command, { signal, task: `extract the last frame of ${video}` });
}

async function hasContent(file: string): Promise<boolean> {
  const stats = await stat(file).catch(() => undefined);
  return stats !== undefined && stats.size > 0;
}
