import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe, probeAudio } from '../../../src/media/probe.js';
import { createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import { ffmpegSync, makeImage, makeTone, meanVolumeDb } from '../../media/fixtures.js';
import { callContext, entries, makeCallDirs, modelSpec, SINGLE_LENGTH_MODEL } from './fixtures.js';

const dirs = makeCallDirs();
afterAll(() => dirs.remove());

const providers = createAnimaticProviders();
const lipsyncModel = modelSpec({ key: 'lipsync-test', kind: 'lipsync', cost: { unit: 'second', usd: 0.1 } });
let clip: string;

beforeAll(async () => {
  const image = makeImage(join(dirs.root, 'face.png'), 320, 180, 'testsrc2');
  const request = { model: SINGLE_LENGTH_MODEL, prompt: 'A singer', durationS: 2, firstFrame: image };
  clip = (await providers.video.generateClip(request, callContext(dirs.next('clip')))).path;
});

/** MD5 of a file's video packets: equal when the stream was copied untouched. */
function videoStreamHash(file: string): string {
  return ffmpegSync(['-i', file, '-map', '0:v:0', '-c', 'copy', '-f', 'md5', 'pipe:1']).toString().trim();
}

describe('animatic lipsync', () => {
  it.each([
    ['a shorter voice is padded with silence', 1.2],
    ['a longer voice is cut', 3.5],
  ])('lays the voice over the unchanged video: %s', async (_, voiceS) => {
    const voice = makeTone(join(dirs.root, `voice-${voiceS}.m4a`), voiceS, 1, 440);
    const dir = dirs.next('lipsync');
    const file = await providers.lipsync.lipsync({ model: lipsyncModel, video: clip, audio: voice }, callContext(dir));
    expect(file).toMatchObject({ provider: 'animatic', model: 'lipsync-test', costUsd: 0, wouldCostUsd: 0.2 });
    expect(file.durationS).toBeCloseTo(2, 2);
    expect(entries(dir)).toEqual(['animatic_lipsync.mp4']);
    const [before, after] = [await probe(clip), await probe(file.path)];
    expect(after).toMatchObject({ width: 320, height: 180, fps: 12, frameCount: before.frameCount, hasAudio: true });
    expect(videoStreamHash(file.path)).toBe(videoStreamHash(clip));
    expect(Math.abs((await probeAudio(file.path)).durationS - 2)).toBeLessThan(0.05);
    expect(meanVolumeDb(clip)).toBeLessThan(-85);
    expect(meanVolumeDb(file.path)).toBeGreaterThan(-30);
  });

  it('refuses an audio file without sound, writing nothing', async () => {
    const dir = dirs.next('no-audio');
    const request = { model: lipsyncModel, video: clip, audio: join(dirs.root, 'face.png') };
    await expect(providers.lipsync.lipsync(request, callContext(dir))).rejects.toMatchObject({ code: 'media_invalid' });
    expect(entries(dir)).toEqual([]);
  });
});
