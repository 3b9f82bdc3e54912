import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Owner } from '../../src/service/types.js';
import type { TestStack } from '../helpers/pipeline.js';
import { makeImage } from '../media/fixtures.js';
import { pixelAt, pixels } from '../providers/animatic/fixtures.js';

/** A flat 640×360 PNG of `color` (ffmpeg colour syntax, e.g. `0xd02020`) at `dir/name`. */
export function flatPng(dir: string, name: string, color: string): string {
  return makeImage(join(dir, name), 640, 360, `color=c=${color}`);
}

/** Uploads flat images of `colors` for `owner`; their asset ids in order. */
export async function uploadColors(stack: TestStack, owner: Owner, colors: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, color] of colors.entries()) {
    const file = flatPng(stack.dataDir, `img-${i}-${color}.png`, color);
    const asset = await stack.service.addAsset(
      owner,
      { bytes: await readFile(file), filename: `img-${i}.png` },
      'image',
    );
    ids.push(asset.assetId);
  }
  return ids;
}

/** The centre pixel of a video's first and last frames. */
export function endFrames(video: string, width = 320, height = 180): { first: number[]; last: number[] } {
  const last = join(video.replace(/\.mp4$/, ''), '..', `last-${Date.now()}.png`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-sseof', '-0.2', '-i', video, '-update', '1', '-q:v', '1', last]);
  return {
    first: pixelAt(pixels(video), width, width / 2, height / 2),
    last: pixelAt(pixels(last), width, width / 2, height / 2),
  };
}

export const RED = '0xd02020';
export const BLUE = '0x2020d0';
export const GREEN = '0x20d020';

/** Red-dominant, blue-dominant, green-dominant pixel checks. */
export function isRed([r, g, b]: number[]): boolean {
  return (r ?? 0) > 150 && (g ?? 255) < 80 && (b ?? 255) < 80;
}
export function isBlue([r, g, b]: number[]): boolean {
  return (b ?? 0) > 150 && (r ?? 255) < 80 && (g ?? 255) < 80;
}
