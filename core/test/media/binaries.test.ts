import { mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PermanentError } from '../../src/errors.js';
import { configureMediaBinaries, mediaBinaries, mediaFontFile } from '../../src/media/binaries.js';
import { probe } from '../../src/media/probe.js';
import { makeClip, makeWorkDir } from './fixtures.js';

const work = makeWorkDir();
afterEach(() => configureMediaBinaries({}));
afterAll(() => work.remove());

describe('media binaries', () => {
  it('prefers ffmpeg and ffprobe found on PATH and resolves them once', async () => {
    const bin = work.path('bin');
    mkdirSync(bin);
    symlinkSync(packagedPaths().ffmpeg, join(bin, 'ffmpeg'));
    symlinkSync(packagedPaths().ffprobe, join(bin, 'ffprobe'));
    const clip = makeClip(work.path('on-path.mp4'));
    await withPath(bin, async () => {
      configureMediaBinaries({});
      const first = mediaBinaries();
      expect(first).toEqual({ ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', source: 'system' });
      expect(mediaBinaries()).toBe(first);
      expect(await probe(clip)).toMatchObject({ width: 160, height: 90 });
    });
  });

  it('uses configured paths, and media functions run with them', async () => {
    const { ffmpeg, ffprobe } = packagedPaths();
    configureMediaBinaries({ ffmpegPath: ffmpeg, ffprobePath: ffprobe });
    expect(mediaBinaries()).toEqual({ ffmpeg, ffprobe, source: 'env' });
    const clip = makeClip(work.path('configured.mp4'));
    expect(await probe(clip)).toMatchObject({ width: 160, height: 90 });
  });

  it('falls back to the packaged binaries when PATH has none', async () => {
    const clip = makeClip(work.path('packaged.mp4'));
    await withPath(work.dir, async () => {
      configureMediaBinaries({});
      const binaries = mediaBinaries();
      expect(binaries.source).toBe('npm');
      expect(binaries.ffmpeg).toMatch(/@ffmpeg-installer/);
      expect(binaries.ffprobe).toMatch(/@ffprobe-installer/);
      expect(await probe(clip)).toMatchObject({ width: 160, height: 90, hasAudio: true });
    });
  });

  it('refuses a configured binary that does not exist', () => {
    configureMediaBinaries({ ffmpegPath: '/nowhere/ffmpeg' });
    expect(() => mediaBinaries()).toThrow(PermanentError);
  });

  it('finds the DejaVu font, or the configured one', () => {
    expect(mediaFontFile()).toMatch(/DejaVuSans\.ttf$/);
    configureMediaBinaries({ fontFile: '/nowhere/font.ttf' });
    expect(() => mediaFontFile()).toThrow(/font/);
  });
});

async function withPath(dir: string, run: () => Promise<void>): Promise<void> {
  const saved = process.env.PATH;
  process.env.PATH = dir;
  try {
    await run();
  } finally {
    process.env.PATH = saved;
  }
}

function packagedPaths(): { ffmpeg: string; ffprobe: string } {
  const load = createRequire(import.meta.url);
  return {
    ffmpeg: (load('@ffmpeg-installer/ffmpeg') as { path: string }).path,
    ffprobe: (load('@ffprobe-installer/ffprobe') as { path: string }).path,
  };
}
