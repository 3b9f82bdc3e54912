import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageSize } from 'image-size';
import { PermanentError, UserError } from '../errors.js';
import { addInputArgs, addOutputArgs, createFfmpegCommand, runFfmpeg } from '../media/run-ffmpeg.js';
import { type ImageType, MAX_IMAGE_SIDE_PX } from './validate-image.js';

/** How each type is read (a forced demuxer, never probed) and written back. */
const CODECS: Record<ImageType, { demuxer: string; extension: string; encode: readonly string[] }> = {
  png: { demuxer: 'png_pipe', extension: 'png', encode: ['-c:v', 'png', '-pred', 'mixed'] },
  jpeg: { demuxer: 'jpeg_pipe', extension: 'jpg', encode: ['-c:v', 'mjpeg', '-q:v', '2'] },
  webp: { demuxer: 'webp_pipe', extension: 'webp', encode: ['-c:v', 'libwebp', '-quality', '90'] },
};

/** The filter that turns a JPEG with EXIF orientation 2–8 upright, as viewers show it. */
const ORIENTATION_FILTERS: Record<number, string> = {
  2: 'hflip',
  3: 'hflip,vflip',
  4: 'vflip',
  5: 'transpose=cclock_flip',
  6: 'transpose=clock',
  7: 'transpose=clock_flip',
  8: 'transpose=cclock',
};

/** What `stripImageMetadata` needs besides the image. */
export interface StripImageMetadataOptions {
  /** Aborting kills ffmpeg; the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * Re-encodes an already validated image (type sniffed, size and header dimensions within limits) through
 * ffmpeg so only the pixels and their colour profile survive: no EXIF (GPS, camera serials), XMP, PNG
 * tEXt/zTXt/iTXt/eXIf/tIME chunks, JPEG comments or trailing data. An embedded ICC profile is kept (ffmpeg
 * carries it as colour information) so wide-gamut photos keep their colours. The type and the pixels' width and height stay
 * the same, except that a JPEG's EXIF orientation (which goes with the EXIF) is applied to the pixels so
 * the photo still looks upright: orientations 5–8 swap width and height (see `orientedSize`). PNG stays
 * lossless, JPEG is re-encoded at high quality, WebP at quality 90 (lossless when the source is lossless).
 * The input is read with the type's own demuxer and only the first frame is kept; ffmpeg refuses frames
 * larger than 4096×4096 whatever the header said. Call it only after `validateImage`.
 * @throws UserError `invalid_image` when ffmpeg cannot decode the image; the signal's reason when aborted.
 */
export async function stripImageMetadata(
  bytes: Uint8Array,
  type: ImageType,
  options: StripImageMetadataOptions = {},
): Promise<Uint8Array> {
  const codec = CODECS[type];
  const rotate = type === 'jpeg' ? ORIENTATION_FILTERS[jpegOrientation(bytes)] : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-strip-'));
  try {
    const input = join(dir, `in.${codec.extension}`);
    const output = join(dir, `out.${codec.extension}`);
    await writeFile(input, bytes);
    const command = createFfmpegCommand().input(input);
    addInputArgs(command, [
      '-f',
      codec.demuxer,
      '-noautorotate',
      '-protocol_whitelist',
      'file',
      '-max_pixels',
      String(MAX_IMAGE_SIDE_PX * MAX_IMAGE_SIDE_PX),
    ]);
    command.output(output);
    addOutputArgs(command, [
      '-map',
      '0:v:0',
      '-frames:v',
      '1',
      ...(rotate ? ['-vf', rotate] : []),
      '-map_metadata',
      '-1',
      '-map_chapters',
      '-1',
      '-fflags',
      '+bitexact',
      '-flags:v',
      '+bitexact',
      ...codec.encode,
      ...(type === 'webp' && isLosslessWebp(bytes) ? ['-lossless', '1'] : []),
      '-update',
      '1',
      '-y',
    ]);
    await runFfmpeg(command, {
      task: `strip metadata from a ${type.toUpperCase()} image`,
      signal: options.signal,
    }).catch((error: unknown) => {
      if (options.signal?.aborted || !(error instanceof PermanentError)) throw error;
      throw new UserError(
        'invalid_image',
        `This ${type.toUpperCase()} image could not be decoded; it may be damaged.`,
        {
          cause: error,
        },
      );
    });
    return new Uint8Array(await readFile(output));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Width and height after `stripImageMetadata`: swapped for a JPEG whose EXIF orientation is 5–8. */
export function orientedSize(facts: { width: number; height: number; orientation?: number | undefined }): {
  width: number;
  height: number;
} {
  const swap = facts.orientation !== undefined && facts.orientation >= 5 && facts.orientation <= 8;
  return swap ? { width: facts.height, height: facts.width } : { width: facts.width, height: facts.height };
}

function jpegOrientation(bytes: Uint8Array): number {
  try {
    return imageSize(bytes).orientation ?? 1;
  } catch {
    return 1;
  }
}

/** True when a WebP's first image chunk is VP8L (lossless) rather than VP8 (lossy). */
function isLosslessWebp(bytes: Uint8Array): boolean {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let offset = 12; offset + 8 <= data.length; ) {
    const fourcc = data.toString('latin1', offset, offset + 4);
    if (fourcc === 'VP8L') return true;
    if (fourcc === 'VP8 ') return false;
    const size = data.readUInt32LE(offset + 4);
    offset += 8 + size + (size % 2);
  }
  return false;
}
