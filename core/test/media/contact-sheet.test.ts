import { afterAll, describe, expect, it } from 'vitest';
import { contactSheet } from '../../src/media/contact-sheet.js';
import { probe } from '../../src/media/probe.js';
import { centrePixel, ffmpegSync, listDir, makeImage, makeWorkDir } from './fixtures.js';

const work = makeWorkDir();
afterAll(() => work.remove());

describe('contactSheet', () => {
  it('lays 5 images on 3 columns and 2 rows of 16:9 tiles', async () => {
    const images = [0, 1, 2, 3, 4].map((i) => makeImage(work.path(`img${i}.png`), 320 + i * 40, 180));
    const out = work.path('sheet.png');
    const result = await contactSheet(images, out, { columns: 3, tileWidth: 160 });
    expect(result).toEqual({ width: 480, height: 180, tileWidth: 160, tileHeight: 90 });
    expect(await probe(out)).toMatchObject({ videoCodec: 'png', width: 480, height: 180 });
  });

  it('draws each label onto its tile', async () => {
    const grey = makeImage(work.path('grey.png'), 320, 180, 'color=c=gray');
    const out = work.path('labelled.png');
    await contactSheet([grey], out, { columns: 1, labels: ["Scene 1: it's [big], ok"], tileWidth: 320 });
    const corner = work.path('corner.png');
    ffmpegSync(['-i', out, '-vf', 'crop=120:40:0:0', corner]);
    const plain = work.path('plain.png');
    ffmpegSync(['-i', out, '-vf', 'crop=120:40:180:120', plain]);
    expect(centrePixel(corner, 120, 40)).not.toEqual(centrePixel(plain, 120, 40));
  });

  it('refuses a missing image naming it and writes nothing', async () => {
    const before = listDir(work.dir);
    const missing = work.path('missing.png');
    const error = await contactSheet([missing], work.path('none.png'), { columns: 2 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'media_not_found' });
    expect((error as Error).message).toContain(missing);
    expect(listDir(work.dir)).toEqual(before);
  });
});
