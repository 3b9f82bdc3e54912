import { afterAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/media/probe.js';
import { createAnimaticProviders } from '../../../src/providers/animatic/index.js';
import { makeImage } from '../../media/fixtures.js';
import {
  callContext,
  colourDistance,
  entries,
  makeCallDirs,
  meanAbsDiff,
  modelSpec,
  pixelAt,
  pixels,
} from './fixtures.js';

const dirs = makeCallDirs();
afterAll(() => dirs.remove());

const providers = createAnimaticProviders();
const flux = modelSpec({ key: 'flux-test', kind: 'image', cost: { unit: 'image', usd: 0.003 } });
const base = { model: flux, prompt: 'A red bicycle leaning on a sunny wall', count: 1, width: 320, height: 180 };

async function card(overrides: Partial<typeof base> & Record<string, unknown> = {}, label = 'card'): Promise<string> {
  const [file] = await providers.image.generateImages({ ...base, ...overrides }, callContext(dirs.next(label)));
  if (!file) throw new Error('no card returned');
  return file.path;
}

describe('animatic storyboard cards', () => {
  it('draws a PNG of exactly the asked size, labelled animatic, costing nothing', async () => {
    const dir = dirs.next('fields');
    const files = await providers.image.generateImages(
      { ...base, width: 400, height: 224, count: 3, title: 'Hero shot' },
      callContext(dir),
    );
    expect(files).toHaveLength(3);
    for (const file of files) {
      expect(file).toMatchObject({ provider: 'animatic', model: 'flux-test', costUsd: 0, wouldCostUsd: 0.003 });
      expect(file.path.startsWith(`${dir}/`)).toBe(true);
      expect(await probe(file.path)).toMatchObject({ width: 400, height: 224, videoCodec: 'png' });
    }
    expect(entries(dir)).toEqual(['animatic_card_00.png', 'animatic_card_01.png', 'animatic_card_02.png']);
  });

  it('makes variants that differ visibly', async () => {
    const files = await providers.image.generateImages({ ...base, count: 2 }, callContext(dirs.next('variants')));
    const [first, second] = files.map((file) => pixels(file.path));
    expect(meanAbsDiff(first ?? Buffer.alloc(0), second ?? Buffer.alloc(0))).toBeGreaterThan(20);
  });

  it('draws different pixels for different palettes and for different prompts', async () => {
    const warm = pixels(await card({ palette: ['#ff4000', '#ffd000'] } as never, 'warm'));
    const cool = pixels(await card({ palette: ['#003080', '#00c0c0', '#102040'] } as never, 'cool'));
    const otherPrompt = pixels(await card({ palette: ['#ff4000', '#ffd000'], prompt: 'Night train' } as never));
    expect(meanAbsDiff(warm, cool)).toBeGreaterThan(40);
    expect(meanAbsDiff(warm, otherPrompt)).toBeGreaterThan(0.5);
    expect(pixelAt(warm, 320, 3, 3)[0]).toBeGreaterThan(200);
    expect(pixelAt(cool, 320, 3, 3)[0]).toBeLessThan(60);
  });

  it('uses the reference image as the background, slightly darkened', async () => {
    const reference = makeImage(`${dirs.root}/reference.png`, 640, 480, 'color=c=0x3080e0');
    const raw = pixels(await card({ reference } as never, 'reference'));
    const darkened = [0x30, 0x80, 0xe0].map((c) => c * 0.72);
    for (const [x, y] of [
      [4, 4],
      [315, 4],
      [315, 120],
    ] as const) {
      expect(colourDistance(pixelAt(raw, 320, x, y), darkened)).toBeLessThan(12);
    }
  });

  it('labels every card with the model it stands in for, in the badge only', async () => {
    const one = pixels(await card({}, 'badge-a'));
    const other = pixels(await card({ model: modelSpec({ key: 'sdxl-other', kind: 'image' }) } as never, 'badge-b'));
    let outside = 0;
    let inside = 0;
    for (let y = 0; y < 180; y++) {
      for (let x = 0; x < 320; x++) {
        const differs = colourDistance(pixelAt(one, 320, x, y), pixelAt(other, 320, x, y)) > 0;
        if (differs && y > 140 && x < 200) inside++;
        else if (differs) outside++;
      }
    }
    expect(inside).toBeGreaterThan(50);
    expect(outside).toBe(0);
  });

  it('draws the same gradient with the portable geq engine as with the gradients source', async () => {
    const portable = createAnimaticProviders({ gradient: 'geq' });
    const native = createAnimaticProviders({ gradient: 'gradients' });
    const request = { ...base, palette: ['#102030', '#e0a040', '#40c080', '#ffffff'] };
    const [a] = await portable.image.generateImages(request, callContext(dirs.next('geq')));
    const [b] = await native.image.generateImages(request, callContext(dirs.next('gradients')));
    expect(meanAbsDiff(pixels(a?.path ?? ''), pixels(b?.path ?? ''))).toBeLessThan(1.5);
  });

  it('draws any prompt literally, quotes, colons, backslashes and percent signs included', async () => {
    const path = await card({ prompt: "it's 100% \\ 'odd': [x], y; %{pts} \n\t z", title: 'a:b' } as never);
    expect(await probe(path)).toMatchObject({ width: 320, height: 180 });
  });

  it('refuses a count or size out of range with a clear error and writes nothing', async () => {
    const dir = dirs.next('refused');
    await expect(providers.image.generateImages({ ...base, count: 0 }, callContext(dir))).rejects.toMatchObject({
      code: 'animatic_invalid_request',
    });
    await expect(providers.image.generateImages({ ...base, width: 100_000 }, callContext(dir))).rejects.toMatchObject({
      code: 'animatic_invalid_request',
    });
    expect(entries(dir)).toEqual([]);
  });
});
