import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import type { ModelSpec } from '../../models/types.js';
import type { InputFileResolver } from './input-files.js';

/**
 * A stand-in for CLIP (`andreasjansson/clip-features`): the same wire contract — `inputs` is
 * newline-separated texts and `http(s)` image URLs, the output one `{ input, embedding }` per line —
 * with deterministic vectors in one text-and-image space, so a search can be checked end to end:
 * - an image is its 8×8 RGB layout (mean-centred, unit length) beside a histogram of the named
 *   colours of its 16×16 pixels (weighing 1.5): near-duplicates score near 1, others far lower;
 * - a text is the colour names it mentions, in the histogram's coordinates: "blue energy drink can"
 *   lands nearest the bluest picture; a text naming no colour is a direction of its own.
 * The vector has the model's `dimensions` (zero-padded). A line starting `data:` is text, as for the
 * real model, which fetches only http(s) URIs.
 */
export async function renderClipEmbeddings(
  spec: ModelSpec,
  input: Record<string, unknown>,
  files: InputFileResolver,
  signal: AbortSignal,
): Promise<Array<{ input: string; embedding: number[] }>> {
  const raw = spec.params.inputs ? input[spec.params.inputs] : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') throw new Error('inputs must be a non-empty string');
  const lines = raw.split('\n').filter((line) => line.trim() !== '');
  const dims = spec.dimensions ?? 768;
  const out: Array<{ input: string; embedding: number[] }> = [];
  for (const line of lines) {
    const isImage = /^https?:\/\//i.test(line.trim());
    const parts = isImage ? await imageParts(await resolveImage(files, line.trim(), signal), signal) : textParts(line);
    out.push({ input: line, embedding: pad(parts, dims) });
  }
  return out;
}

/** Named colours of the fake's text-and-image space, in RGB. */
const COLOURS: ReadonlyArray<[string, [number, number, number]]> = [
  ['red', [220, 30, 30]],
  ['orange', [240, 140, 20]],
  ['yellow', [240, 220, 30]],
  ['green', [40, 180, 60]],
  ['cyan', [40, 200, 220]],
  ['blue', [30, 60, 220]],
  ['purple', [140, 50, 200]],
  ['pink', [240, 120, 180]],
  ['white', [245, 245, 245]],
  ['black', [15, 15, 15]],
  ['grey', [128, 128, 128]],
];
const LAYOUT = 192;
/** How much colour weighs against layout in an image vector (text vectors are all colour). */
const COLOUR_WEIGHT = 1.5;
const SPACE = LAYOUT + COLOURS.length + 1;

async function resolveImage(files: InputFileResolver, url: string, signal: AbortSignal): Promise<string> {
  const path = await files.resolve(url, signal);
  if (!path) throw new Error(`image ${url} could not be read`);
  return path;
}

async function imageParts(path: string, signal: AbortSignal): Promise<number[]> {
  const pixels = await rgbGrid(path, 16, signal);
  const layoutPixels = downsample(pixels, 16);
  const mean = layoutPixels.reduce((sum, b) => sum + b, 0) / layoutPixels.length;
  const layout = unit(layoutPixels.map((b) => b - mean));
  const histogram = new Array<number>(COLOURS.length).fill(0);
  for (let i = 0; i < pixels.length; i += 3) {
    const rgb = [pixels[i] ?? 0, pixels[i + 1] ?? 0, pixels[i + 2] ?? 0] as const;
    let best = 0;
    let bestDistance = Number.POSITIVE_INFINITY;
    COLOURS.forEach(([, colour], index) => {
      const distance = (colour[0] - rgb[0]) ** 2 + (colour[1] - rgb[1]) ** 2 + (colour[2] - rgb[2]) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [index, distance];
    });
    histogram[best] = (histogram[best] ?? 0) + 1;
  }
  return unit([...layout, ...unit(histogram).map((v) => v * COLOUR_WEIGHT), 0]);
}

/** An 8×8 RGB grid from a `size`×`size` one, each cell the mean of its block. */
function downsample(pixels: number[], size: number): number[] {
  const factor = size / 8;
  const out: number[] = [];
  for (let y = 0; y < 8; y += 1) {
    for (let x = 0; x < 8; x += 1) {
      for (let c = 0; c < 3; c += 1) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy += 1) {
          for (let dx = 0; dx < factor; dx += 1)
            sum += pixels[((y * factor + dy) * size + x * factor + dx) * 3 + c] ?? 0;
        }
        out.push(sum / (factor * factor));
      }
    }
  }
  return out;
}

function textParts(text: string): number[] {
  const words = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
  const named = COLOURS.map(([name]) => (words.has(name) || (name === 'grey' && words.has('gray')) ? 1 : 0));
  const none = named.every((v) => v === 0) ? 1 : 0;
  return unit([...new Array<number>(LAYOUT).fill(0), ...named, none]);
}

async function rgbGrid(path: string, size: number, signal: AbortSignal): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-clip-'));
  try {
    const out = join(dir, 'pixels.rgb');
    const command = createFfmpegCommand()
      .input(path)
      .outputOptions('-vf', `scale=${size}:${size}:flags=area`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24')
      .output(out);
    await runFfmpeg(command, { signal, task: 'fake CLIP pixels' });
    return [...(await readFile(out))];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function unit(v: number[]): number[] {
  const norm = Math.hypot(...v);
  return norm === 0 ? v : v.map((x) => x / norm);
}

function pad(parts: number[], dims: number): number[] {
  if (dims < SPACE) throw new Error(`the fake CLIP needs at least ${SPACE} dimensions`);
  return [...parts, ...new Array<number>(dims - parts.length).fill(0)];
}
