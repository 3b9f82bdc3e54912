import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mediaFontFile } from '../../media/binaries.js';
import { escapeFilterValue } from '../../media/filter-escape.js';
import { probe } from '../../media/probe.js';
import { addOutputArgs, createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { writeAtomically } from '../../media/temp.js';
import { type CardLine, layoutCard } from './card-layout.js';
import { type GradientEngine, gradientSource } from './gradient.js';

/** What one storyboard card shows. */
export interface CardOptions {
  /** Pixels; the PNG measures exactly width×height. */
  width: number;
  height: number;
  prompt: string;
  title?: string | undefined;
  /** Gradient colours as `rrggbb` (see `resolvePalette`); unused when `reference` is given. */
  colours: readonly string[];
  /** Gradient direction in degrees. */
  angleDeg: number;
  /** The honesty label, e.g. "ANIMATIC PREVIEW · hailuo", drawn bottom left. */
  badge: string;
  /** Drawn top right when set, e.g. "2/4" for the second of four variants. */
  variantLabel?: string | undefined;
  /** Local image used as the background instead of the gradient (cover-scaled, darkened). */
  reference?: string | undefined;
  /** Hue rotation of the reference background, degrees (variants of one reference differ by it). */
  hueShiftDeg?: number | undefined;
  engine: GradientEngine;
  signal?: AbortSignal | undefined;
}

/** Share of brightness a reference background keeps, so white labels read over any photo. */
const REFERENCE_BRIGHTNESS = 0.72;
const BADGE_COLOUR = '0xffd166';

/**
 * Draws a storyboard card into `out` (RGB PNG, exactly width×height): the gradient (or the darkened
 * reference image), a translucent band carrying the title and the wrapped prompt, the badge bottom
 * left and the variant label top right. Text reaches drawtext through files (`textfile=`, no
 * expansion), so any prompt is drawn literally. Written atomically.
 * @throws UserError `media_not_found` / `media_invalid` naming a bad `reference`; PermanentError when ffmpeg fails.
 */
export async function drawCard(out: string, options: CardOptions): Promise<void> {
  const { width, height, reference, signal } = options;
  if (reference) await probe(reference, { signal });
  const layout = layoutCard(width, height, { title: options.title, prompt: options.prompt });
  const font = escapeFilterValue(mediaFontFile());
  await writeAtomically(out, async ({ partial, scratch }) => {
    let written = 0;
    const textFile = async (text: string): Promise<string> => {
      const file = join(scratch, `text-${written++}.txt`);
      await writeFile(file, text, 'utf8');
      return escapeFilterValue(file);
    };
    const filters = [background(options)];
    const { scrim, margin, badgeSize } = layout;
    if (layout.lines.length > 0) {
      filters.push(`drawbox=x=0:y=${scrim.y}:w=iw:h=${scrim.height}:color=black@0.3:t=${scrim.height}`);
    }
    for (const line of layout.lines) filters.push(centredText(font, await textFile(line.text), line));
    const badgeBox = `box=1:boxcolor=black@0.6:boxborderw=${Math.max(2, Math.round(badgeSize * 0.45))}`;
    filters.push(
      `drawtext=fontfile=${font}:textfile=${await textFile(options.badge)}:expansion=none:fontsize=${badgeSize}` +
        `:fontcolor=${BADGE_COLOUR}:${badgeBox}:x=${margin}:y=${height - margin}-ascent`,
    );
    if (options.variantLabel) {
      const size = Math.round(badgeSize * 1.6);
      filters.push(
        `drawtext=fontfile=${font}:textfile=${await textFile(options.variantLabel)}:expansion=none:fontsize=${size}` +
          `:fontcolor=white:${badgeBox}:x=w-text_w-${margin}:y=${margin + size}-ascent`,
      );
    }
    filters.push('format=rgb24');
    const command = createFfmpegCommand();
    if (reference) command.input(reference);
    command.complexFilter(`${filters.join(',')}[card]`).output(partial);
    addOutputArgs(command, ['-map', '[card]', '-frames:v', '1', '-update', '1', '-c:v', 'png']);
    await runFfmpeg(command, { signal, task: `draw a ${width}x${height} storyboard card` });
  });
}

function background(options: CardOptions): string {
  const { width, height, reference, colours, angleDeg, engine } = options;
  if (!reference) return gradientSource({ width, height, colours, angleDeg }, engine);
  const k = REFERENCE_BRIGHTNESS;
  const chain = [
    `[0:v:0]scale=${width}:${height}:force_original_aspect_ratio=increase`,
    `crop=${width}:${height}`,
    'setsar=1',
    'format=rgb24',
    `colorchannelmixer=rr=${k}:gg=${k}:bb=${k}`,
  ];
  if (options.hueShiftDeg) chain.push(`hue=h=${options.hueShiftDeg}`, 'format=rgb24');
  return chain.join(',');
}

function centredText(font: string, textFile: string, line: CardLine): string {
  const shadow = Math.max(1, Math.round(line.size / 16));
  return (
    `drawtext=fontfile=${font}:textfile=${textFile}:expansion=none:fontsize=${line.size}:fontcolor=white` +
    `:shadowcolor=black@0.7:shadowx=${shadow}:shadowy=${shadow}:x=(w-text_w)/2:y=${line.baseline}-ascent`
  );
}
