import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateVideoRequest, Owner } from '../../src/service/types.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';
import { BLUE, RED, uploadColors } from './fixtures.js';

const owner: Owner = { platform: 'cli', platformUserId: 'pairs-refusals' };
const stranger: Owner = { platform: 'cli', platformUserId: 'pairs-stranger' };

describe('image-pairs refusals', () => {
  let stack: TestStack;
  let mine: string[];
  let theirs: string[];
  beforeAll(async () => {
    stack = await createTestStack();
    mine = await uploadColors(stack, owner, [RED, BLUE]);
    theirs = await uploadColors(stack, stranger, [BLUE]);
  });
  afterAll(() => stack?.close());

  const rows = async () => ({
    videos: await stack.database.db.selectFrom('videos').selectAll().execute(),
    scenes: await stack.database.db.selectFrom('scenes').selectAll().execute(),
  });
  const create = (req: Partial<CreateVideoRequest>) =>
    stack.service.create(owner, { prompt: 'ad', mode: 'image_pairs', model: 'tiny-pairs', ...req });

  it.each([
    ['fewer than 2 images', () => ({ imageAssetIds: [mine[0] as string] }), 'too_few_images', /at least 2/],
    [
      'more than 20 images',
      () => ({ imageAssetIds: Array.from({ length: 21 }, (_, i) => `img-${i}`) }),
      'too_many_images',
      /at most 20/,
    ],
    [
      'an image that is not the user’s',
      () => ({ imageAssetIds: [mine[0] as string, theirs[0] as string] }),
      'not_found',
      /No image asset/,
    ],
    [
      'a model without a last-frame input',
      () => ({ imageAssetIds: mine, model: 'tiny' }),
      'model_without_last_frame',
      /Use one of: .*hailuo.*veo3.*kling/,
    ],
    ['a bad number of pairs', () => ({ imageAssetIds: mine, numPairs: 0 }), 'invalid_num_pairs', /1 to 2/],
  ])('refuses %s and changes nothing', async (_, req, code, message) => {
    const before = await rows();
    await expect(create(req())).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(await rows()).toEqual(before);
  });
});
