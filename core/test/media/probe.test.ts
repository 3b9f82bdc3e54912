import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { probe, probeAudio } from '../../src/media/probe.js';
import { makeClip, makeTone, makeWorkDir, writeJunk } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

describe('probe', () => {
  let withAudio: string;
  let silent: string;
  beforeAll(() => {
    withAudio = makeClip(work.path('with-audio.mp4'), { width: 320, height: 180, durationS: 2, fps: 25 });
    silent = makeClip(work.path('silent.mp4'), { width: 160, height: 90, durationS: 1, fps: 30, audio: false });
  });

  it('reports duration, size, fps, codecs and the audio track of a clip', async () => {
    const info = await probe(withAudio);
    expect(info.durationS).toBeGreaterThan(1.95);
    expect(info.durationS).toBeLessThan(2.1);
    expect(info.videoDurationS).toBeCloseTo(2, 1);
    expect(info).toMatchObject({
      width: 320,
      height: 180,
      fps: 25,
      videoCodec: 'h264',
      pixelFormat: 'yuv420p',
      hasAudio: true,
      audioCodec: 'aac',
      audioSampleRate: 48000,
      audioChannels: 2,
    });
  });

  it('reports a clip without audio as hasAudio false', async () => {
    const info = await probe(silent);
    expect(info).toMatchObject({ width: 160, height: 90, fps: 30, hasAudio: false });
    expect(info.audioCodec).toBeUndefined();
  });

  it('refuses a missing file with media_not_found naming it', async () => {
    const missing = work.path('nope.mp4');
    const error = await probe(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'media_not_found' });
    expect((error as Error).message).toContain(missing);
  });

  it('refuses a file that is not media with media_invalid naming it', async () => {
    const junk = writeJunk(work.path('junk.mp4'));
    const error = await probe(junk).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'media_invalid' });
    expect((error as Error).message).toContain(junk);
  });

  it('refuses an audio file as a video but reads it with probeAudio', async () => {
    const tone = makeTone(work.path('tone.m4a'), 1.5);
    await expect(probe(tone)).rejects.toMatchObject({ code: 'media_invalid' });
    const info = await probeAudio(tone);
    expect(info.durationS).toBeCloseTo(1.5, 1);
    expect(info).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 2 });
  });
});
