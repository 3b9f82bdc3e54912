import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';
import { BLUE, endFrames, isBlue, isRed, RED, uploadColors } from './fixtures.js';

const owner: Owner = { platform: 'cli', platformUserId: 'pairs-animatic' };

describe.each(RUNNERS)('image pairs on the animatic ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({ runner });
  });
  afterAll(() => stack?.close());

  it('makes one cross-fade scene per pair, from the first image to the second, and regenerates a scene', async () => {
    const [red, blue] = await uploadColors(stack, owner, [RED, BLUE]);
    const created = await stack.service.create(owner, {
      prompt: 'a product reveal',
      mode: 'image_pairs',
      imageAssetIds: [red as string, blue as string],
      model: 'tiny-pairs',
      clipDurationS: 2.4,
    });
    await stack.service.settled(created.videoId);
    const view = await stack.service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    expect(view.scenes).toHaveLength(1);
    const scene = view.scenes[0];
    expect(scene?.durationS).toBe(2); // 2.4 s rounded to the model's allowed 2|3
    const clip = scene?.clip && 'path' in scene.clip ? scene.clip.path : '';
    const { first, last } = endFrames(clip);
    expect(isRed(first)).toBe(true);
    expect(isBlue(last)).toBe(true);
    const row = await stack.database.db
      .selectFrom('videos')
      .selectAll()
      .where('id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    expect(row.plan).toMatchObject({ mode: 'image_pairs', source: 'similarity', pairs: [{ first: red, last: blue }] });
    expect(row.provider).toBe('animatic');

    await stack.service.regenerateScene(owner, created.videoId, 1);
    await stack.service.settled(created.videoId);
    const again = await stack.service.get(owner, created.videoId);
    expect(again.scenes[0]?.currentVersion).toBe(2);
    const clip2 = again.scenes[0]?.clip && 'path' in again.scenes[0].clip ? again.scenes[0].clip.path : '';
    const ends = endFrames(clip2);
    expect(isRed(ends.first) && isBlue(ends.last)).toBe(true);
  });
});
