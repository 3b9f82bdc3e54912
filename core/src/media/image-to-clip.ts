import { UserError } from '../errors.js';
import { CAMERA_MOVES, type CameraMove } from './camera-moves.js';
import { presetOutputArgs } from './encode-preset.js';
import type { FrameSpec } from './frame-filters.js';
import {
  assertFrameSpec,
  assertPositiveDuration,
  exactFramesFilter,
  sampleSpans,
  silenceSamplesSource,
} from './frame-filters.js';
import { probe } from './probe.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

export { CAMERA_MOVES, type CameraMove } from './camera-moves.js';

/** Options of `imageToClip`: the frame (`fit` is ignored: the image always fills it), length and move. */
export interface ImageToClipOptions extends FrameSpec {
  /** Seconds; the clip has exactly round(durationS × fps) frames (at least 1). */
  durationS: number;
  camera: CameraMove;
  signal?: AbortSignal | undefined;
}

/** How far a dolly zooms (1 + this); a pan or tilt zooms in as far while it travels, starting from the whole picture. */
const MOVE_ZOOM = 0.25;
/** Upscaled working picture's longer side, so zoompan's whole-pixel crops are sub-pixel at output size. */
const WORK_LONG_SIDE = 4096;

/**
 * Renders `image` as an animatic clip in `out`: exactly round(durationS × fps) frames of exactly
 * width×height (the image scaled to cover the frame and centre-cropped), animated by `camera` with an
 * ease-in-out curve, encoded with the shared preset and carrying a silent AAC track of exactly the same length,
 * so animatic clips are uniform and can be joined by stream copy. Moves run zoompan on a picture
 * upscaled 2–4×, which keeps them free of whole-pixel jitter.
 * @throws UserError `media_not_found` / `media_invalid` naming `image`, `media_invalid_options`.
 */
export async function imageToClip(image: string, out: string, options: ImageToClipOptions): Promise<void> {
  const { durationS, fps, width, height, camera, signal } = options;
  assertFrameSpec(options);
  assertPositiveDuration('durationS', durationS);
  if (!CAMERA_MOVES.includes(camera)) {
    throw new UserError(
      'media_invalid_options',
      `Unknown camera move "${camera}"; use one of ${CAMERA_MOVES.join(', ')}`,
    );
  }
  await probe(image, { signal });
  const frames = Math.max(1, Math.round(durationS * fps));
  const samples = sampleSpans([frames / fps])[0] as number;
  const video = camera === 'static' ? coverFilter(width, height) : moveFilter(options, frames);
  // Both streams end inside the graph: `-frames:v` or `-t` would stop the file before the audio
  // encoder has flushed, leaving the silent track ~50 ms shorter than the video.
  const graph = [
    `[0:v:0]${video},format=yuv420p,setsar=1,${exactFramesFilter(frames)}[v]`,
    `${silenceSamplesSource(samples)}[a]`,
  ].join(';');
  await writeAtomically(out, async ({ partial }) => {
    const command = createFfmpegCommand().input(image);
    if (camera === 'static') addInputArgs(command, ['-loop', '1', '-framerate', String(fps)]);
    command.complexFilter(graph).output(partial);
    addOutputArgs(command, ['-map', '[v]', '-map', '[a]', ...presetOutputArgs(fps)]);
    await runFfmpeg(command, { signal, task: `animate ${image} (${camera})` });
  });
}

function coverFilter(width: number, height: number): string {
  return `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1`;
}

function moveFilter(options: ImageToClipOptions, frames: number): string {
  const { width, height, fps, camera } = options;
  const factor = Math.min(4, Math.max(2, Math.floor(WORK_LONG_SIDE / Math.max(width, height))));
  const progress = `(on/${Math.max(1, frames - 1)})`;
  const eased = `(${progress}*${progress}*(3-2*${progress}))`;
  const { z, x, y } = moveExpressions(camera, eased);
  return [
    coverFilter(width * factor, height * factor),
    'format=yuv444p',
    `zoompan=z='${z}':x='${x}':y='${y}':d=${frames}:s=${width}x${height}:fps=${fps}`,
  ].join(',');
}

function moveExpressions(camera: CameraMove, eased: string): { z: string; x: string; y: string } {
  const centreX = '(iw-iw/zoom)/2';
  const centreY = '(ih-ih/zoom)/2';
  const travelZoom = `1+${MOVE_ZOOM}*${eased}`;
  switch (camera) {
    case 'dolly_in':
      return { z: `1+${MOVE_ZOOM}*${eased}`, x: centreX, y: centreY };
    case 'dolly_out':
      return { z: `1+${MOVE_ZOOM}*(1-${eased})`, x: centreX, y: centreY };
    case 'pan_left':
      return { z: travelZoom, x: `(iw-iw/zoom)*(1-${eased})`, y: centreY };
    case 'pan_right':
      return { z: travelZoom, x: `(iw-iw/zoom)*${eased}`, y: centreY };
    case 'tilt_up':
      return { z: travelZoom, x: centreX, y: `(ih-ih/zoom)*(1-${eased})` };
    case 'tilt_down':
      return { z: travelZoom, x: centreX, y: `(ih-ih/zoom)*${eased}` };
    default:
      return { z: '1', x: '0', y: '0' };
  }
}
