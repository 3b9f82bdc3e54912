import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatClips } from '../../../src/media/concat.js';
import { CAMERA_MOVES } from '../../../src/media/image-to-clip.js';
import { extractLastFrame } from '../../../src/media/last-frame.js';
import { probe } from '../../../src/media/probe.js';
import { createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import type { GenerateClipRequest } from '../../../src/providers/types.js';
import { makeImage, meanVolumeDb } from '../../media/fixtures.js';
import {
  CHOICE_MODEL,
  callContext,
  entries,
  makeCallDirs,
  meanAbsDiff,
  SINGLE_LENGTH_MODEL,
  thumbnail,
} from './fixtures.js';

const dirs = makeCallDirs();
afterAll(() => dirs.remove());

const { video } = createAnimaticProviders();
/** Moves whose two-chunk chains are checked; the others are checked on one chunk. */
const CHAINED_MOVES: readonly string[] = ['dolly_in', 'pan_left', 'dolly_out'];
let image: string;
let otherImage: string;
beforeAll(() => {
  image = makeImage(join(dirs.root, 'frame.png'), 320, 180, 'testsrc2');
  otherImage = makeImage(join(dirs.root, 'other.png'), 320, 180, 'mandelbrot');
});

async function clip(request: Partial<GenerateClipRequest>, label = 'clip') {
  const full = { model: SINGLE_LENGTH_MODEL, prompt: 'A lighthouse at dusk', durationS: 2, ...request };
  return video.generateClip(full, callContext(dirs.next(label)));
}

/** How far apart two pictures are once both are scaled down to 32×18 (mean absolute difference, 0–255). */
function distance(a: string, aFrame: number, b: string, bFrame = 0): number {
  return meanAbsDiff(thumbnail(a, 32, 18, aFrame), thumbnail(b, 32, 18, bFrame));
}

describe('animatic clips', () => {
  it.each([
    ['a single-length model outputs its own length whatever is asked', SINGLE_LENGTH_MODEL, 7, 2, 0.1],
    ['a model with choices outputs the allowed length nearest the ask (5 on 4|6|8 → 6)', CHOICE_MODEL, 5, 6, 0.4],
  ] as const)('%s, labelled animatic at no cost', async (_, model, askedS, expectedS, wouldCostUsd) => {
    const file = await clip({ model, durationS: askedS, firstFrame: image, cameraMovement: 'pan_right' }, 'length');
    expect(file).toMatchObject({
      provider: 'animatic',
      model: model.key,
      costUsd: 0,
      wouldCostUsd,
      durationS: expectedS,
    });
    expect(entries(join(file.path, '..'))).toEqual(['animatic_clip.mp4']);
    const info = await probe(file.path);
    expect(info).toMatchObject({ width: 320, height: 180, fps: 12, frameCount: expectedS * 12, hasAudio: true });
    expect(info).toMatchObject({ videoCodec: 'h264', pixelFormat: 'yuv420p', audioCodec: 'aac' });
    expect(info.videoDurationS).toBeCloseTo(expectedS, 3);
    expect(meanVolumeDb(file.path)).toBeLessThan(-85);
  });

  it.each(CAMERA_MOVES.filter((move) => !CHAINED_MOVES.includes(move)))(
    'starts a %s shot on the input image itself',
    async (camera) => {
      const file = await clip({ firstFrame: image, cameraMovement: camera }, camera);
      expect(distance(file.path, 0, image)).toBeLessThan(4);
    },
  );

  it.each(CHAINED_MOVES)(
    'moves a %s shot away from the input image and continues it from its last frame without a jump',
    async (camera) => {
      const first = await clip({ firstFrame: image, cameraMovement: camera }, `chain-1-${camera}`);
      expect(distance(first.path, 0, image)).toBeLessThan(4);
      expect(distance(first.path, 23, first.path, 0)).toBeGreaterThan(10);
      const lastFrame = join(dirs.root, `chain-${camera}-last.png`);
      await extractLastFrame(first.path, lastFrame);
      const second = await clip({ firstFrame: lastFrame, cameraMovement: camera }, `chain-2-${camera}`);
      expect(distance(second.path, 0, first.path, 23)).toBeLessThan(4);
      expect(distance(second.path, 23, second.path, 0)).toBeGreaterThan(5);
    },
  );

  it('cross-fades into the last frame when one is given', async () => {
    const file = await clip({ firstFrame: image, lastFrame: otherImage, cameraMovement: 'static' }, 'last-frame');
    expect(distance(file.path, 0, image)).toBeLessThan(4);
    expect(distance(file.path, 23, otherImage)).toBeLessThan(4);
    expect(distance(image, 0, otherImage)).toBeGreaterThan(30);
    expect(await probe(file.path)).toMatchObject({ frameCount: 24, width: 320, height: 180, hasAudio: true });
  });

  it('renders a storyboard card from the prompt when there is no first frame (text to video)', async () => {
    const file = await clip({ prompt: 'Waves crash on black rocks', cameraMovement: 'static' }, 'text-to-video');
    const info = await probe(file.path);
    expect(info).toMatchObject({ width: 320, height: 180, frameCount: 24 });
    expect(entries(join(file.path, '..'))).toEqual(['animatic_clip.mp4']);
  });

  it('makes clips that join with each other by stream copy', async () => {
    const a = await clip({ firstFrame: image, cameraMovement: 'tilt_up' }, 'join-a');
    const b = await clip({ lastFrame: image, cameraMovement: 'dolly_out' }, 'join-b');
    const joined = await concatClips([a.path, b.path], join(dirs.root, 'joined.mp4'));
    expect(joined.method).toBe('copy');
    expect(Math.abs(joined.durationS - 4)).toBeLessThan(0.1);
  });

  it('refuses a first frame that does not exist, writing nothing', async () => {
    const dir = dirs.next('missing');
    const request = { model: SINGLE_LENGTH_MODEL, prompt: 'x', durationS: 2, firstFrame: join(dirs.root, 'nope.png') };
    await expect(video.generateClip(request, callContext(dir))).rejects.toMatchObject({ code: 'media_not_found' });
    expect(entries(dir)).toEqual([]);
  });
});
