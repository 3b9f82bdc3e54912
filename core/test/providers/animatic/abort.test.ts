import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import { mediaChildPids } from '../../media/fixtures.js';
import { callContext, entries, makeCallDirs, modelSpec } from './fixtures.js';

const dirs = makeCallDirs();
afterAll(() => dirs.remove());

const providers = createAnimaticProviders();
const slowVideo = modelSpec({
  key: 'slow',
  kind: 'video',
  actualChunkDurationS: 60,
  fps: 25,
  width: 1280,
  height: 720,
});
const slowMusic = modelSpec({ key: 'slow-music', kind: 'music' });

async function waitForFfmpegIn(dir: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (mediaChildPids(dir).length > 0) return;
    await sleep(20);
  }
  throw new Error(`no ffmpeg child writing into ${dir} appeared`);
}

describe('aborting an animatic call', () => {
  it.each([
    [
      'a text-to-video clip',
      (signal: AbortSignal, dir: string) =>
        providers.video.generateClip(
          { model: slowVideo, prompt: 'A very long shot', durationS: 60, cameraMovement: 'dolly_in' },
          callContext(dir, signal),
        ),
      '.animatic_clip.mp4.',
    ],
    [
      'a music bed',
      (signal: AbortSignal, dir: string) =>
        providers.music.generateMusic(
          { model: slowMusic, prompt: 'x', durationS: 600, tempoBpm: 100, mood: 'calm' },
          callContext(dir, signal),
        ),
      '.animatic_music.m4a.',
    ],
  ] as const)('kills ffmpeg rendering %s, rejects, and leaves the work folder empty', async (_, start, partial) => {
    const dir = dirs.next('abort');
    const controller = new AbortController();
    const outcome = start(controller.signal, dir).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await waitForFfmpegIn(`${dir}/${partial}`);
    await sleep(100);
    controller.abort();
    expect(await outcome).toMatchObject({ name: 'AbortError' });
    expect(mediaChildPids(dir)).toEqual([]);
    expect(entries(dir)).toEqual([]);
  });

  it('rejects with the signal reason and writes nothing when aborted before starting', async () => {
    const dir = dirs.next('early');
    const reason = new Error('cancelled by user');
    const request = { model: slowVideo, prompt: 'x', count: 2, width: 320, height: 180 };
    await expect(providers.image.generateImages(request, callContext(dir, AbortSignal.abort(reason)))).rejects.toBe(
      reason,
    );
    expect(entries(dir)).toEqual([]);
  });
});
