import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureMediaBinaries, mediaBinaries } from '../../../src/media/binaries.js';
import { probe, probeAudio } from '../../../src/media/probe.js';
import { ffmpegHasFilter } from '../../../src/providers/animatic/ffmpeg-filters.js';
import { createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import { makeImage } from '../../media/fixtures.js';
import {
  CHOICE_MODEL,
  callContext,
  kickOnsets,
  makeCallDirs,
  meanAbsDiff,
  median,
  modelSpec,
  thumbnail,
} from './fixtures.js';

function packagedBinary(pkg: string): string | undefined {
  try {
    const path = (createRequire(import.meta.url)(pkg) as { path?: unknown }).path;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const ffmpegPath = packagedBinary('@ffmpeg-installer/ffmpeg');
const ffprobePath = packagedBinary('@ffprobe-installer/ffprobe');
const dirs = makeCallDirs();
afterAll(() => dirs.remove());

describe.skipIf(!ffmpegPath || !ffprobePath)(
  'the animatic on the 2018 npm ffmpeg fallback (no gradients, no xfade)',
  () => {
    const providers = createAnimaticProviders();
    beforeAll(() => configureMediaBinaries({ ffmpegPath, ffprobePath }));
    afterAll(() => configureMediaBinaries({}));

    it('runs on the packaged binary, which lacks the gradients source', async () => {
      expect(mediaBinaries().source).toBe('env');
      expect(await ffmpegHasFilter('gradients')).toBe(false);
      expect(await ffmpegHasFilter('geq')).toBe(true);
    });

    it('draws cards, animates a dolly out that cross-fades into a last frame, and scores music', async () => {
      const image = makeImage(join(dirs.root, 'frame.png'), 320, 180, 'testsrc2');
      const model = modelSpec({ key: 'flux-test', kind: 'image' });
      const cards = await providers.image.generateImages(
        { model, prompt: 'A red bicycle', count: 2, width: 320, height: 180 },
        callContext(dirs.next('cards')),
      );
      expect(await probe(cards[1]?.path ?? '')).toMatchObject({ width: 320, height: 180 });
      const clip = await providers.video.generateClip(
        {
          model: CHOICE_MODEL,
          prompt: 'x',
          durationS: 3,
          firstFrame: image,
          lastFrame: cards[0]?.path,
          cameraMovement: 'dolly_out',
        },
        callContext(dirs.next('clip')),
      );
      expect(await probe(clip.path)).toMatchObject({
        width: 320,
        height: 180,
        fps: 12,
        frameCount: 48,
        hasAudio: true,
      });
      expect(meanAbsDiff(thumbnail(clip.path, 32, 18, 0), thumbnail(image, 32, 18))).toBeLessThan(4);
      expect(meanAbsDiff(thumbnail(clip.path, 32, 18, 47), thumbnail(cards[0]?.path ?? '', 32, 18))).toBeLessThan(4);
      const music = await providers.music.generateMusic(
        { model: modelSpec({ key: 'm', kind: 'music' }), prompt: 'x', durationS: 4.2, tempoBpm: 120, mood: 'dark' },
        callContext(dirs.next('music')),
      );
      expect(Math.abs((await probeAudio(music.path)).durationS - 4.2)).toBeLessThan(0.05);
      const onsets = kickOnsets(music.path);
      expect(median(onsets.slice(1).map((t, i) => t - (onsets[i] ?? 0)))).toBeCloseTo(0.5, 1);
    });
  },
);
