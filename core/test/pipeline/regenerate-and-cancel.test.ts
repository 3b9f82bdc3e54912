import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Owner, VideoView } from '../../src/service/types.js';
import { createTestStack, RUNNERS, type TestStack } from '../helpers/pipeline.js';
import { recordingProviders } from './recording-provider.js';

const owner: Owner = { platform: 'discord', platformUserId: 'regen-owner' };
const stranger: Owner = { platform: 'discord', platformUserId: 'someone-else' };
const pathOf = (link: VideoView['final']) => (link && 'path' in link ? link.path : '');
const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe.each(RUNNERS)('regenerate and re-stitch ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  let first: VideoView;
  beforeAll(async () => {
    stack = await createTestStack({ runner });
    const created = await stack.service.create(owner, {
      prompt: 'fresh green tea in a glass bottle',
      durationS: 10,
      model: 'tiny',
    });
    await stack.service.settled(created.videoId);
    first = await stack.service.get(owner, created.videoId);
  });
  afterAll(() => stack?.close());

  it('makes version 2 of the scene and a new take, keeping version 1 and the first take', async () => {
    expect(first.status).toBe('ready');
    expect(first.take?.number).toBe(1);
    const v1 = pathOf(first.scenes[0]?.clip ?? null);
    const accepted = await stack.service.regenerateScene(owner, first.videoId, 1, {
      prompt: 'the bottle on a mossy rock by a stream',
    });
    expect(accepted.status).toBe('generating');
    await stack.service.settled(first.videoId);
    const after = await stack.service.get(owner, first.videoId);
    const scene = after.scenes[0];
    expect(after.status).toBe('ready');
    expect(scene?.currentVersion).toBe(2);
    expect(scene?.versions.map((v) => [v.version, v.kind, v.status])).toEqual([
      [1, 'generated', 'succeeded'],
      [2, 'regenerated', 'succeeded'],
    ]);
    expect(scene?.prompt).toBe('the bottle on a mossy rock by a stream');
    expect(pathOf(scene?.clip ?? null)).toMatch(/scene_00_v2\.mp4$/);
    expect(await exists(v1)).toBe(true);
    expect(after.take?.number).toBe(2);
    const keys = await stack.storage.list(pathOf(after.final).split('/storage/')[1]!.replace('final.mp4', ''));
    expect(keys.filter((key) => /take_0[12]\.mp4$/.test(key))).toHaveLength(2);
  });

  it('re-stitches a third take from the current versions', async () => {
    await stack.service.restitch(owner, first.videoId);
    await stack.service.settled(first.videoId);
    const after = await stack.service.get(owner, first.videoId);
    expect(after.status).toBe('ready');
    expect(after.take?.number).toBe(3);
  });

  it('refuses a scene out of range, an empty prompt and a stranger, changing nothing', async () => {
    const before = await stack.service.get(owner, first.videoId);
    await expect(stack.service.regenerateScene(owner, first.videoId, 9)).rejects.toMatchObject({
      code: 'scene_out_of_range',
    });
    await expect(stack.service.regenerateScene(owner, first.videoId, 0)).rejects.toMatchObject({
      code: 'scene_out_of_range',
    });
    await expect(stack.service.regenerateScene(owner, first.videoId, 1, { prompt: '   ' })).rejects.toMatchObject({
      code: 'empty_prompt',
    });
    await expect(stack.service.regenerateScene(stranger, first.videoId, 1)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(stack.service.get(owner, 'not-a-uuid')).rejects.toBeInstanceOf(UserError);
    expect(await stack.service.get(owner, first.videoId)).toEqual(before);
  });
});

describe.each(RUNNERS)('cancel ($runner runner)', ({ runner }) => {
  let stack: TestStack;
  beforeAll(async () => {
    const slow = recordingProviders(createAnimaticProviders(), { delayMs: 400 });
    stack = await createTestStack({ providers: slow.providers, providerLimit: 1, runner });
  });
  afterAll(() => stack?.close());

  it('aborts in-flight work, marks the video cancelled and removes its partial files', async () => {
    const created = await stack.service.create(owner, {
      prompt: 'a paper plane over a city',
      durationS: 15,
      model: 'tiny',
    });
    const userRow = await stack.database.db
      .selectFrom('videos')
      .select('user_id')
      .where('id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    const prefix = `${userRow.user_id}/videos/${created.videoId}/`;
    for (let i = 0; i < 100 && (await stack.storage.list(prefix)).length === 0; i++) await sleep(50);
    expect((await stack.storage.list(prefix)).length).toBeGreaterThan(0);

    const cancelled = await stack.service.cancel(owner, created.videoId);
    expect(cancelled.status).toBe('cancelled');
    await stack.service.settled(created.videoId);
    await sleep(300);
    expect(await stack.storage.list(prefix)).toEqual([]);
    const after = await stack.service.get(owner, created.videoId);
    expect(after.status).toBe('cancelled');
    expect(after.final).toBeNull();
    await expect(stack.service.regenerateScene(owner, created.videoId, 1)).rejects.toMatchObject({
      code: 'video_cancelled',
    });
  });
});
