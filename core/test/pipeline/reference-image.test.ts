import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';
import { pixelAt, pixels } from '../providers/animatic/fixtures.js';

const owner: Owner = { platform: 'slack', platformUserId: 'U-reference' };

describe.each(RUNNERS)('a reference image ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ runner });
  });
  afterAll(() => stack?.close());

  it("becomes scene 1's storyboard frame while later scenes get drawn cards", async () => {
    const png = join(stack.dataDir, 'product.png');
    execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0xd02020:s=640x360', '-frames:v', '1', png]);
    const asset = await stack.service.addAsset(owner, { bytes: await readFile(png), filename: 'product.png' }, 'image');
    expect(asset).toMatchObject({ kind: 'image', mimeType: 'image/png', width: 640, height: 360 });
    const created = await stack.service.create(owner, {
      prompt: 'a red sports water bottle, energetic ad',
      durationS: 10,
      model: 'tiny',
      imageAssetId: asset.assetId,
    });
    await stack.service.settled(created.videoId);
    const view = await stack.service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    const frames = view.scenes.map((scene) =>
      scene.storyboard && 'path' in scene.storyboard ? scene.storyboard.path : '',
    );
    const corner = (file: string) => pixelAt(pixels(file), 320, 8, 90);
    const [r, g, b] = corner(frames[0]!);
    expect(r).toBeGreaterThan(100);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
    if (frames[1]) expect(corner(frames[1])).not.toEqual([r, g, b]);
  });

  it('refuses a file that is not an image and stores nothing', async () => {
    const before = await stack.database.db.selectFrom('assets').selectAll().execute();
    await expect(
      stack.service.addAsset(
        owner,
        { bytes: new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), filename: 'logo.svg' },
        'image',
      ),
    ).rejects.toMatchObject({ code: 'unsupported_image' });
    expect(await stack.database.db.selectFrom('assets').selectAll().execute()).toEqual(before);
  });
});
