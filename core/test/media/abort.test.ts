import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { imageToClip } from '../../src/media/image-to-clip.js';
import { normalizeClip } from '../../src/media/normalize.js';
import { listDir, makeImage, makeWorkDir, mediaChildPids } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

async function waitForMediaChild(argsContaining: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [pid] = mediaChildPids(argsContaining);
    if (pid !== undefined) return pid;
    await sleep(20);
  }
  throw new Error('no ffmpeg child process appeared');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('abort', () => {
  it('kills a long imageToClip, rejects with AbortError and leaves no file behind', async () => {
    const image = makeImage(work.path('still.png'), 640, 360);
    const outDir = work.path('clips');
    const controller = new AbortController();
    const running = imageToClip(image, `${outDir}/long.mp4`, {
      durationS: 60,
      fps: 25,
      width: 1280,
      height: 720,
      camera: 'dolly_in',
      signal: controller.signal,
    });
    const outcome = running.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    const pid = await waitForMediaChild(`${outDir}/.long.mp4.`, 15_000);
    await sleep(300);
    expect(listDir(outDir)).toHaveLength(1);
    controller.abort();
    const error = await outcome;
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(isAlive(pid)).toBe(false);
    expect(mediaChildPids()).toEqual([]);
    expect(listDir(outDir)).toEqual([]);
  });

  it('rejects with the signal reason and writes nothing when aborted before starting', async () => {
    const image = makeImage(work.path('early.png'), 320, 180);
    const reason = new Error('cancelled by user');
    const before = listDir(work.dir);
    await expect(
      normalizeClip(image, work.path('never.mp4'), {
        width: 160,
        height: 90,
        fps: 25,
        signal: AbortSignal.abort(reason),
      }),
    ).rejects.toBe(reason);
    expect(listDir(work.dir)).toEqual(before);
  });
});
