import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatClips } from '../../src/media/concat.js';
import { CAMERA_MOVES, imageToClip } from '../../src/media/image-to-clip.js';
import { probe } from '../../src/media/probe.js';
import { frameBytes, makeImage, makeWorkDir, meanVolumeDb } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

const spec = { width: 160, height: 90, fps: 25, durationS: 1.2 };

describe('imageToClip', () => {
  let image: string;
  beforeAll(() => {
    image = makeImage(work.path('still.png'), 400, 300);
  });

  it.each(CAMERA_MOVES)('renders %s with the exact frame count, duration and size', async (camera) => {
    const out = work.path(`${camera}.mp4`);
    await imageToClip(image, out, { ...spec, camera });
    const info = await probe(out);
    expect(info).toMatchObject({ width: 160, height: 90, fps: 25, frameCount: 30, pixelFormat: 'yuv420p' });
    expect(info).toMatchObject({ videoCodec: 'h264', hasAudio: true, audioCodec: 'aac', audioSampleRate: 48000 });
    expect(info.videoDurationS).toBeCloseTo(1.2, 3);
    expect(Math.abs(info.durationS - 1.2)).toBeLessThan(0.05);
  });

  it('moves the picture during a dolly in but not in a static shot', async () => {
    const dolly = work.path('dolly_in.mp4');
    const still = work.path('static.mp4');
    await imageToClip(image, dolly, { ...spec, camera: 'dolly_in' });
    await imageToClip(image, still, { ...spec, camera: 'static' });
    expect(differingBytes(frameBytes(dolly, 0), frameBytes(dolly, 29))).toBeGreaterThan(0.2);
    expect(differingBytes(frameBytes(still, 0), frameBytes(still, 29))).toBeLessThan(0.02);
  });

  it('carries digital silence', async () => {
    const out = work.path('silence.mp4');
    await imageToClip(image, out, { ...spec, camera: 'pan_left' });
    expect(meanVolumeDb(out)).toBeLessThan(-85);
  });

  it('makes clips that concatenate by stream copy', async () => {
    const a = work.path('a.mp4');
    const b = work.path('b.mp4');
    await imageToClip(image, a, { ...spec, camera: 'tilt_up' });
    await imageToClip(makeImage(work.path('other.png'), 90, 160, 'mandelbrot'), b, {
      ...spec,
      durationS: 2,
      camera: 'dolly_out',
    });
    const result = await concatClips([a, b], work.path('animatic.mp4'));
    expect(result.method).toBe('copy');
    expect(Math.abs(result.durationS - 3.2)).toBeLessThan(0.1);
  });

  it('refuses an unknown camera move', async () => {
    await expect(
      imageToClip(image, work.path('nope.mp4'), { ...spec, camera: 'crane_up' as never }),
    ).rejects.toMatchObject({ code: 'media_invalid_options' });
  });
});

function differingBytes(a: Buffer, b: Buffer): number {
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (Math.abs((a[i] ?? 0) - (b[i] ?? 0)) > 24) differing++;
  return differing / a.length;
}
