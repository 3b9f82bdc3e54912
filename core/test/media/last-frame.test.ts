import { afterAll, describe, expect, it } from 'vitest';
import { extractLastFrame } from '../../src/media/last-frame.js';
import { probe } from '../../src/media/probe.js';
import { centrePixel, ffmpegSync, listDir, makeClip, makeWorkDir } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

function redThenBlue(out: string, secondsEach: number): string {
  const colour = (c: string) => `color=c=${c}:s=160x90:r=25:d=${secondsEach}`;
  ffmpegSync([
    ...['-f', 'lavfi', '-i', colour('red'), '-f', 'lavfi', '-i', colour('blue')],
    ...['-f', 'lavfi', '-i', `sine=duration=${secondsEach * 2}:sample_rate=48000`],
    ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '250', '-c:a', 'aac', out],
  ]);
  return out;
}

describe('extractLastFrame', () => {
  it('writes the colour of the last second as a full-size PNG', async () => {
    const video = redThenBlue(work.path('red-blue.mp4'), 1);
    const png = work.path('last.png');
    await extractLastFrame(video, png);
    const info = await probe(png);
    expect(info).toMatchObject({ videoCodec: 'png', width: 160, height: 90 });
    const [r, g, b] = centrePixel(png, 160, 90);
    expect(b).toBeGreaterThan(200);
    expect(r).toBeLessThan(40);
    expect(g).toBeLessThan(40);
  });

  it('handles a clip shorter than the seek window', async () => {
    const video = redThenBlue(work.path('short.mp4'), 0.2);
    const png = work.path('short-last.png');
    await extractLastFrame(video, png);
    const [r, , b] = centrePixel(png, 160, 90);
    expect(b).toBeGreaterThan(200);
    expect(r).toBeLessThan(40);
  });

  it('leaves nothing behind when the video is missing', async () => {
    const dir = work.path('');
    const before = listDir(dir);
    await expect(extractLastFrame(work.path('missing.mp4'), work.path('none.png'))).rejects.toMatchObject({
      code: 'media_not_found',
    });
    expect(listDir(dir)).toEqual(before);
  });

  it('takes the last frame of an ordinary test clip', async () => {
    const video = makeClip(work.path('clip.mp4'), { durationS: 2 });
    const png = work.path('clip-last.png');
    await extractLastFrame(video, png);
    expect(await probe(png)).toMatchObject({ width: 160, height: 90 });
  });
});
