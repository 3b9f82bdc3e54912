import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFfmpegCommand, runFfmpeg } from '../media/run-ffmpeg.js';
import type { EmbeddingProvider } from './types.js';

/** The local perceptual model: its id in `asset_embeddings.model` and its dimensions (8×8 RGB). */
export const PERCEPTUAL_MODEL = 'reelsmith/perceptual-rgb8x8';
export const PERCEPTUAL_DIMENSIONS = 192;

/**
 * A perceptual embedding of an image, computed locally: the image scaled (area average) to 8×8 RGB
 * with ffmpeg, mean-centred and L2-normalised (192 numbers), so the cosine of two embeddings says
 * how alike their layout and colours are: a resized, recompressed or slightly re-lit copy scores
 * above 0.9, unrelated pictures far lower. A flat image (no shape at all) gets the uniform unit
 * vector: it is 1 to other flat images and 0 to every other image.
 */
export async function embedImage(path: string, signal?: AbortSignal): Promise<number[]> {
  const dir = await mkdtemp(join(tmpdir(), 'reelsmith-embed-'));
  try {
    const out = join(dir, 'pixels.rgb');
    const command = createFfmpegCommand()
      .input(path)
      .outputOptions('-vf', 'scale=8:8:flags=area', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24')
      .output(out);
    await runFfmpeg(command, { signal, task: `perceptual embedding of ${path}` });
    const bytes = [...(await readFile(out))];
    const mean = bytes.reduce((sum, b) => sum + b, 0) / Math.max(1, bytes.length);
    const centred = bytes.map((b) => b - mean);
    const norm = Math.hypot(...centred);
    if (norm === 0) return bytes.map(() => 1 / Math.sqrt(bytes.length));
    return centred.map((v) => v / norm);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The offline embedding provider: image similarity from `embedImage`; no text space (text search
 * falls back to Postgres full-text search over names, tags and captions).
 */
export function createLocalEmbeddingProvider(): EmbeddingProvider {
  return {
    name: 'local',
    model: PERCEPTUAL_MODEL,
    dimensions: PERCEPTUAL_DIMENSIONS,
    hasTextSpace: false,
    async embedImages(paths, options) {
      const vectors: number[][] = [];
      for (const path of paths) vectors.push(await embedImage(path, options.signal));
      return vectors;
    },
    async embedText() {
      return undefined;
    },
  };
}
