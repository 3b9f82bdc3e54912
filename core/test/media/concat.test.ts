import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { concatClips } from '../../src/media/concat.js';
import { normalizeClip } from '../../src/media/normalize.js';
import { probe } from '../../src/media/probe.js';
import { listDir, makeClip, makeWorkDir, writeJunk } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

describe('concatClips', () => {
  const uniform: string[] = [];
  beforeAll(() => {
    for (const i of [0, 1, 2]) uniform.push(makeClip(work.path(`u${i}.mp4`), { durationS: 1 }));
  });

  it('stream-copies uniform clips into one lasting the sum, with audio', async () => {
    const out = work.path('copy.mp4');
    const result = await concatClips(uniform, out);
    expect(result.method).toBe('copy');
    expect(result.durationS).toBeGreaterThan(2.9);
    expect(result.durationS).toBeLessThan(3.1);
    const info = await probe(out);
    expect(info).toMatchObject({ width: 160, height: 90, hasAudio: true, videoCodec: 'h264' });
    expect(info.videoDurationS).toBeCloseTo(3, 1);
  });

  it('re-encodes clips of different sizes and audio presence to the first clip size, keeping audio', async () => {
    const mixed = [
      makeClip(work.path('m0.mp4'), { width: 320, height: 180, durationS: 1 }),
      makeClip(work.path('m1.mp4'), { width: 160, height: 120, durationS: 1, audio: false }),
      makeClip(work.path('m2.mp4'), { width: 320, height: 180, durationS: 1, fps: 30 }),
    ];
    const out = work.path('reencode.mp4');
    const result = await concatClips(mixed, out);
    expect(result.method).toBe('reencode');
    expect(Math.abs(result.durationS - 3)).toBeLessThan(0.1);
    const info = await probe(out);
    expect(info).toMatchObject({ width: 320, height: 180, fps: 25, hasAudio: true, audioSampleRate: 48000 });
    expect(info.videoDurationS).toBeCloseTo(3, 1);
  });

  it('produces stream-copyable clips when they are normalised to one spec first', async () => {
    const spec = { width: 256, height: 144, fps: 24 };
    const a = work.path('n0.mp4');
    const b = work.path('n1.mp4');
    await normalizeClip(makeClip(work.path('raw0.mp4'), { width: 320, height: 240 }), a, spec);
    await normalizeClip(makeClip(work.path('raw1.mp4'), { width: 160, height: 90, audio: false, fps: 30 }), b, spec);
    const result = await concatClips([a, b], work.path('normalised.mp4'));
    expect(result.method).toBe('copy');
    expect(Math.abs(result.durationS - 2)).toBeLessThan(0.1);
  });

  it('trims a stream copy to the target duration within 0.1 s', async () => {
    const result = await concatClips(uniform, work.path('trim-copy.mp4'), { targetDurationS: 2.3 });
    expect(result.method).toBe('copy');
    expect(Math.abs(result.durationS - 2.3)).toBeLessThan(0.1);
  });

  it('trims a re-encode to the target duration within 0.1 s', async () => {
    const clips = [uniform[0] as string, makeClip(work.path('t1.mp4'), { durationS: 1, audio: false })];
    const result = await concatClips(clips, work.path('trim-reencode.mp4'), { targetDurationS: 1.55 });
    expect(result.method).toBe('reencode');
    expect(Math.abs(result.durationS - 1.55)).toBeLessThan(0.1);
  });

  it('fails naming a corrupt clip and leaves no output and no temp file', async () => {
    const junk = writeJunk(work.path('corrupt.mp4'));
    const before = listDir(work.dir);
    const out = work.path('broken.mp4');
    const error = await concatClips([uniform[0] as string, junk, uniform[1] as string], out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect(error).toMatchObject({ code: 'media_invalid' });
    expect((error as Error).message).toContain(junk);
    expect(listDir(work.dir)).toEqual(before);
  });
});
