import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createFfmpegCommand, runFfmpeg } from '../../media/run-ffmpeg.js';
import { makeWorkDir } from './work-dir.js';

/**
 * A tiny perceptual vector of an image: scaled (area average) to 8×8 RGB with ffmpeg, mean-centred
 * and L2-normalised, so the dot product of two vectors is their cosine similarity. Local stand-in
 * until the brand library's `embedImage` lands on this branch.
 */
export async function imageVector(path: string, signal?: AbortSignal): Promise<number[]> {
  const dir = await makeWorkDir();
  try {
    const out = join(dir, 'pixels.rgb');
    const command = createFfmpegCommand()
      .input(path)
      .outputOptions('-vf', 'scale=8:8:flags=area', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24')
      .output(out);
    await runFfmpeg(command, { signal, task: `perceptual vector of ${path}` });
    const bytes = [...(await readFile(out))];
    const mean = bytes.reduce((sum, b) => sum + b, 0) / Math.max(1, bytes.length);
    const centred = bytes.map((b) => b - mean);
    const norm = Math.hypot(...centred);
    // A flat image has no shape: keep its brightness as a direction of its own.
    return norm === 0 ? bytes.map(() => mean / 255) : centred.map((v) => v / norm);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Cosine similarity of two unit vectors, mapped to 0–1. */
export function similarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return Math.min(1, Math.max(0, (dot + 1) / 2));
}
