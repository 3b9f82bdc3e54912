import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { mediaFontFile } from './binaries.js';
import { escapeFilterValue } from './filter-escape.js';
import { probe } from './probe.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from './run-ffmpeg.js';
import { writeAtomically } from './temp.js';

/** Options of `contactSheet`. */
export interface ContactSheetOptions {
  /** Tiles per row, a positive integer. */
  columns: number;
  /** One label per image, drawn in its tile's top-left corner; default "1", "2", … */
  labels?: readonly string[] | undefined;
  /** Tile width in pixels (even, default 320); tile height is always 16:9 of it, rounded to even. */
  tileWidth?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Size of the written sheet in pixels. */
export interface ContactSheetResult {
  width: number;
  height: number;
  tileWidth: number;
  tileHeight: number;
}

const DEFAULT_TILE_WIDTH = 320;

/**
 * Draws `images` as one PNG grid in `out`: `columns` tiles per row, ceil(n / columns) rows, each image
 * letterboxed into a 16:9 tile and labelled (drawtext with `mediaFontFile()`). The sheet measures
 * columns × tileWidth by rows × tileHeight; unused tiles of the last row stay black.
 * @throws UserError `media_not_found` / `media_invalid` naming the bad image, `media_invalid_options`.
 */
export async function contactSheet(
  images: readonly string[],
  out: string,
  options: ContactSheetOptions,
): Promise<ContactSheetResult> {
  const { columns, signal } = options;
  const tileWidth = options.tileWidth ?? DEFAULT_TILE_WIDTH;
  const labels = options.labels ?? images.map((_, i) => String(i + 1));
  assertSheetOptions(images, columns, tileWidth, labels);
  for (const image of images) await probe(image, { signal });
  const tileHeight = Math.max(2, Math.round((tileWidth * 9) / 16 / 2) * 2);
  const rows = Math.ceil(images.length / columns);
  const size = { width: columns * tileWidth, height: rows * tileHeight, tileWidth, tileHeight };
  const font = escapeFilterValue(mediaFontFile());
  await writeAtomically(out, async ({ partial, scratch }) => {
    const parts = [`color=c=black:s=${size.width}x${size.height}:r=1[bg0]`];
    for (const [i, label] of labels.entries()) {
      const textFile = join(scratch, `label-${i}.txt`);
      await writeFile(textFile, label);
      const text = `fontfile=${font}:textfile=${escapeFilterValue(textFile)}:expansion=none`;
      const style = `fontsize=${Math.max(10, Math.round(tileHeight / 7))}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=4:x=8:y=8`;
      parts.push(
        `[${i}:v:0]scale=${tileWidth}:${tileHeight}:force_original_aspect_ratio=decrease,` +
          `pad=${tileWidth}:${tileHeight}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,drawtext=${text}:${style}[t${i}]`,
        `[bg${i}][t${i}]overlay=x=${(i % columns) * tileWidth}:y=${Math.floor(i / columns) * tileHeight}[bg${i + 1}]`,
      );
    }
    const command = createFfmpegCommand();
    for (const image of images) command.input(image);
    command.complexFilter(parts.join(';')).output(partial);
    addOutputArgs(command, ['-map', `[bg${images.length}]`, '-frames:v', '1', '-update', '1', '-c:v', 'png']);
    await runFfmpeg(command, { signal, task: `draw a contact sheet of ${images.length} images` });
  });
  return size;
}

function assertSheetOptions(images: readonly string[], columns: number, tileWidth: number, labels: readonly string[]) {
  if (images.length === 0) throw new UserError('media_invalid_options', 'A contact sheet needs at least one image');
  if (!Number.isInteger(columns) || columns <= 0) {
    throw new UserError('media_invalid_options', `columns must be a positive integer, got ${columns}`);
  }
  if (!Number.isInteger(tileWidth) || tileWidth <= 0 || tileWidth % 2 !== 0) {
    throw new UserError('media_invalid_options', `tileWidth must be an even positive integer, got ${tileWidth}`);
  }
  if (labels.length !== images.length) {
    throw new UserError('media_invalid_options', `Got ${labels.length} labels for ${images.length} images`);
  }
}
