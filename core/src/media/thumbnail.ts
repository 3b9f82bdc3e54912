import { createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Thumbnails are this many pixels square. */
export const THUMBNAIL_SIZE = 400;

/**
 * Writes a 400×400 JPEG thumbnail of the image at `input` to `out`: the whole picture scaled to fit
 * (up or down, aspect kept) and centred on white, so a logo or a product shot is never cropped and
 * transparency reads as white paper. Atomic: a failure leaves no file at `out`.
 */
export async function makeThumbnail(input: string, out: string, options: { signal?: AbortSignal } = {}) {
  const size = THUMBNAIL_SIZE;
  await writeAtomically(out, async ({ partial }) => {
    const filter =
      `color=c=white:s=${size}x${size}:r=1[bg];` +
      `[0:v:0]scale=${size}:${size}:force_original_aspect_ratio=decrease:flags=lanczos,setsar=1,format=rgba[fg];` +
      '[bg][fg]overlay=(W-w)/2:(H-h)/2:format=auto,format=yuvj420p[out]';
    const command = createFfmpegCommand()
      .input(input)
      .complexFilter(filter)
      .outputOptions('-map', '[out]', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg')
      .output(partial);
    await runFfmpeg(command, { signal: options.signal, task: `thumbnail of ${input}` });
  });
}
