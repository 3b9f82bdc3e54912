import { readFileSync } from 'node:fs';
import { ffmpegSync, makeWorkDir } from '../media/fixtures.js';

const work = makeWorkDir();
let counter = 0;

/** A real image made by ffmpeg from a lavfi `source` (`testsrc2`, `mandelbrot`, `color=c=red`…), then `filter`. */
export function picture(
  source: string,
  options: { size?: string; filter?: string; ext?: 'png' | 'jpg' } = {},
): Uint8Array {
  counter += 1;
  const out = work.path(`picture-${counter}.${options.ext ?? 'png'}`);
  const separator = source.includes('=') ? ':' : '=';
  const args = ['-f', 'lavfi', '-i', `${source}${separator}s=${options.size ?? '640x360'}`];
  if (options.filter) args.push('-vf', options.filter);
  ffmpegSync([...args, '-frames:v', '1', ...(options.ext === 'jpg' ? ['-q:v', '6'] : []), out]);
  return readFileSync(out);
}

/** The planted picture, and a near-duplicate of it: resized, re-encoded as JPEG, a little brighter. */
export const PLANTED = { source: 'testsrc2' } as const;
export function plantedPicture(): Uint8Array {
  return picture(PLANTED.source);
}
export function nearDuplicate(): Uint8Array {
  return picture(PLANTED.source, { size: '640x360', filter: 'scale=500:282,eq=brightness=0.04', ext: 'jpg' });
}

/** Pictures unlike the planted one. */
export function unrelatedPictures(): Uint8Array[] {
  return [
    picture('mandelbrot'),
    picture('smptebars'),
    picture('color=c=red'),
    picture('cellauto=rule=30', { filter: 'format=rgb24' }),
    picture('testsrc2', { filter: 'hflip,vflip,hue=h=180' }),
  ];
}

export function removeFixtures(): void {
  work.remove();
}
