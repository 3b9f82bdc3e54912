import { afterAll, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { fitMusic, mixMusic, trimAudio } from '../../src/media/audio.js';
import { probe, probeAudio } from '../../src/media/probe.js';
import { listDir, makeClip, makeTone, makeWorkDir, meanVolumeDb } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

describe('trimAudio', () => {
  it('keeps exactly the requested range', async () => {
    const tone = makeTone(work.path('trim-src.m4a'), 4);
    const out = work.path('trimmed.m4a');
    await trimAudio(tone, out, { startS: 1, endS: 2.5 });
    const info = await probeAudio(out);
    expect(Math.abs(info.durationS - 1.5)).toBeLessThan(0.05);
    expect(info).toMatchObject({ sampleRate: 48000, channels: 2 });
  });

  it('stops at the end of the input when the range runs past it', async () => {
    const tone = makeTone(work.path('trim-short.wav'), 2);
    const out = work.path('trimmed-tail.wav');
    await trimAudio(tone, out, { startS: 1.5, endS: 10 });
    expect(Math.abs((await probeAudio(out)).durationS - 0.5)).toBeLessThan(0.05);
  });

  it('reports an ffmpeg failure as a PermanentError with its stderr, leaving nothing', async () => {
    const tone = makeTone(work.path('trim-fail.m4a'), 1);
    const before = listDir(work.dir);
    const error = await trimAudio(tone, work.path('trimmed.unknownformat'), { startS: 0, endS: 0.5 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/^ffmpeg failed to trim .*trim-fail\.m4a: .*output format/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    expect(listDir(work.dir)).toEqual(before);
  });

  it('refuses an empty range without writing anything', async () => {
    const tone = makeTone(work.path('trim-bad.m4a'), 1);
    const before = listDir(work.dir);
    await expect(trimAudio(tone, work.path('never.m4a'), { startS: 2, endS: 1 })).rejects.toMatchObject({
      code: 'media_invalid_options',
    });
    expect(listDir(work.dir)).toEqual(before);
  });
});

describe('fitMusic', () => {
  it('crops longer music to the exact duration', async () => {
    const music = makeTone(work.path('long.m4a'), 5);
    const out = work.path('fit-crop.m4a');
    await fitMusic(music, out, { durationS: 3.2, fadeOutS: 1 });
    expect(Math.abs((await probeAudio(out)).durationS - 3.2)).toBeLessThan(0.05);
  });

  it('loops shorter music to the exact duration', async () => {
    const music = makeTone(work.path('short.mp3'), 1.3);
    const out = work.path('fit-loop.mp3');
    await fitMusic(music, out, { durationS: 4.5 });
    expect(Math.abs((await probeAudio(out)).durationS - 4.5)).toBeLessThan(0.05);
    expect(meanVolumeDb(out)).toBeGreaterThan(-30);
  });

  it('fades out to silence at the end', async () => {
    const music = makeTone(work.path('fade-src.wav'), 3);
    const out = work.path('faded.wav');
    await fitMusic(music, out, { durationS: 3, fadeOutS: 1.5 });
    const tail = work.path('faded-tail.wav');
    await trimAudio(out, tail, { startS: 2.8, endS: 3 });
    const head = work.path('faded-head.wav');
    await trimAudio(out, head, { startS: 0, endS: 1 });
    expect(meanVolumeDb(tail)).toBeLessThan(meanVolumeDb(head) - 20);
  });
});

describe('mixMusic', () => {
  it('lays loud music under a quiet track, keeping the video length', async () => {
    const quiet = makeClip(work.path('quiet.mp4'), { durationS: 2, audioVolume: 0.02 });
    const music = makeTone(work.path('loud.m4a'), 5, 1, 660);
    const out = work.path('mixed.mp4');
    await mixMusic(quiet, music, out, { volume: 0.7 });
    const before = await probe(quiet);
    const after = await probe(out);
    expect(after.hasAudio).toBe(true);
    expect(Math.abs(after.durationS - before.videoDurationS)).toBeLessThan(0.1);
    expect(after.videoDurationS).toBeCloseTo(before.videoDurationS, 2);
    expect(meanVolumeDb(out)).toBeGreaterThan(meanVolumeDb(quiet) + 3);
  });

  it('keeps the level of the existing audio when the music is faint', async () => {
    const video = makeClip(work.path('loud-video.mp4'), { durationS: 2, audioVolume: 0.5 });
    const out = work.path('faint-mix.mp4');
    await mixMusic(video, makeTone(work.path('faint.m4a'), 2, 1, 660), out, { volume: 0.001 });
    expect(Math.abs(meanVolumeDb(out) - meanVolumeDb(video))).toBeLessThan(1);
  });

  it('gives a silent video the music alone', async () => {
    const video = makeClip(work.path('silent.mp4'), { durationS: 1.5, audio: false });
    const out = work.path('scored.mp4');
    await mixMusic(video, makeTone(work.path('bed.m4a'), 1), out);
    const info = await probe(out);
    expect(info).toMatchObject({ hasAudio: true, audioCodec: 'aac', audioSampleRate: 48000 });
    expect(Math.abs(info.durationS - 1.5)).toBeLessThan(0.1);
    expect(meanVolumeDb(out)).toBeGreaterThan(-40);
  });
});
