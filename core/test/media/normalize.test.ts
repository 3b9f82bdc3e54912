import { afterAll, describe, expect, it } from 'vitest';
import { normalizeClip } from '../../src/media/normalize.js';
import { probe } from '../../src/media/probe.js';
import { centrePixel, ffmpegSync, makeClip, makeWorkDir, meanVolumeDb } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

const spec = { width: 192, height: 108, fps: 24 };

describe('normalizeClip', () => {
  it('brings a 4:3 clip with audio to the exact size, fps, pixel format and preset codecs', async () => {
    const input = makeClip(work.path('in.mp4'), { width: 320, height: 240, durationS: 1.5, fps: 30 });
    const out = work.path('out.mp4');
    await normalizeClip(input, out, spec);
    const info = await probe(out);
    expect(info).toMatchObject({ width: 192, height: 108, fps: 24, pixelFormat: 'yuv420p', videoCodec: 'h264' });
    expect(info).toMatchObject({ videoProfile: 'High', audioCodec: 'aac', audioSampleRate: 48000, audioChannels: 2 });
    expect(Math.abs(info.videoDurationS - 1.5)).toBeLessThan(0.05);
    expect(meanVolumeDb(out)).toBeGreaterThan(-30);
  });

  it('letterboxes by default and fills the frame when cropping', async () => {
    const tall = work.path('tall.mp4');
    ffmpegSync([
      '-f',
      'lavfi',
      '-i',
      'color=c=white:s=90x160:r=25:d=1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      tall,
    ]);
    const padded = work.path('padded.mp4');
    const cropped = work.path('cropped.mp4');
    await normalizeClip(tall, padded, spec);
    await normalizeClip(tall, cropped, { ...spec, fit: 'crop' });
    const edge = (file: string) => {
      const png = work.path(`${file.split('/').pop()}.png`);
      ffmpegSync(['-i', file, '-vf', 'crop=8:8:0:50', '-frames:v', '1', png]);
      return centrePixel(png, 8, 8);
    };
    expect(edge(padded)[0]).toBeLessThan(30);
    expect(edge(cropped)[0]).toBeGreaterThan(220);
  });

  it('adds a silent track of the clip length when the input has none', async () => {
    const input = makeClip(work.path('mute.mp4'), { durationS: 1, audio: false });
    const out = work.path('mute-out.mp4');
    await normalizeClip(input, out, spec);
    const info = await probe(out);
    expect(info.hasAudio).toBe(true);
    expect(Math.abs(info.durationS - 1)).toBeLessThan(0.05);
    expect(meanVolumeDb(out)).toBeLessThan(-85);
  });

  it('refuses an odd frame size', async () => {
    const input = makeClip(work.path('odd.mp4'));
    await expect(normalizeClip(input, work.path('odd-out.mp4'), { ...spec, width: 191 })).rejects.toMatchObject({
      code: 'media_invalid_options',
    });
  });
});
