import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/src/log.js';
import { createDiscordNotifier } from '../../src/discord/notifications.js';
import { ADA, customIds, type DiscordHarness, eventually, ownerOf, startDiscordHarness, textOf } from './harness.js';

const EDIT_INTERVAL_MS = 300;
/** Discord's buckets, scaled down so the test runs in seconds: 4 writes per second per channel and route. */
const BUCKET = { limit: 4, windowMs: 1000 };

describe('the Discord bot within Discord’s rate limits', () => {
  let h: DiscordHarness;

  beforeAll(async () => {
    h = await startDiscordHarness({ fake: { rateLimit: BUCKET }, editIntervalMs: EDIT_INTERVAL_MS });
  });
  afterAll(async () => {
    await h?.close();
  });

  const create = async (prompt: string) => {
    const interaction = h.command('create', [
      { name: 'prompt', type: 3, value: prompt },
      { name: 'duration', type: 4, value: 10 },
      { name: 'model', type: 3, value: 'tiny' },
    ]);
    const videoId = /`([0-9a-f-]{36})`/.exec(await h.reply(interaction))?.[1] as string;
    await h.stack.service.settled(videoId);
    const view = await h.stack.service.get(ownerOf(ADA), videoId);
    const progress = await eventually(() =>
      h.fake.messages().find((message) => customIds(message).some((id) => id === `rs:restitch:${videoId}`)),
    );
    const threadId = await eventually(() => h.fake.message(progress.id)?.thread?.id);
    const cards = await eventually(() => {
      const found = h.fake.messages(threadId).filter((message) => textOf(message).startsWith('**Scene '));
      return found.length === view.scenes.length ? found : undefined;
    });
    return { videoId, view, progress, threadId, cards };
  };

  it('edits a video’s progress message at most once per interval, and its last edit shows the finished video', async () => {
    const { videoId, progress } = await create('a lighthouse at dusk, waves breaking');
    await eventually(() => textOf(h.fake.message(progress.id) ?? progress).includes('take 1'));
    const writes = h.fake
      .requests()
      .filter((request) => request.path.endsWith(`/messages/${progress.id}`) && request.method === 'PATCH');
    const gaps = writes.slice(1).map((request, i) => request.at - (writes[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(EDIT_INTERVAL_MS - 30);
    const progressEvents = await h.stack.database.db
      .selectFrom('events')
      .select('id')
      .where('video_id', '=', videoId)
      .where('kind', '=', 'progress')
      .execute();
    expect(writes.length).toBeLessThan(progressEvents.length + 1);
    expect(h.fake.rateLimited()).toEqual([]);
  });

  it('waits out a 429’s retry_after and posts every card once', async () => {
    h.fake.faults.retryAfterS = 0.4;
    h.fake.faults.rateLimitNext = 2;
    const { threadId, cards, view } = await create('a red kite over green hills');
    const limited = h.fake.rateLimited();
    expect(limited).toHaveLength(2);
    const retried = h.fake
      .requests()
      .find((request) => request.at > (limited[1]?.at ?? 0) && request.path === limited[1]?.path);
    expect((retried?.at ?? 0) - (limited[1]?.at ?? 0)).toBeGreaterThanOrEqual(350);
    expect(cards.map((card) => textOf(card).split('\n')[0])).toEqual(
      view.scenes.map((scene) => expect.stringContaining(`Scene ${scene.index}/`)),
    );
    expect(h.fake.messages(threadId).filter((message) => textOf(message).startsWith('**Scene '))).toHaveLength(
      view.scenes.length,
    );
  });

  it('posts nothing twice when it lost the ids of messages it had posted (Discord’s enforced nonce)', async () => {
    const { videoId, threadId, view, progress } = await create('paper boats on a canal');
    const channelBefore = h.fake.messages().length;
    const threadBefore = h.fake.messages(threadId).length;
    // As if the bot had died between posting and recording: it knows of no message of this video.
    await h.stack.service.delivery.record(videoId, {
      progressMessageId: null,
      threadId: threadId,
      sceneMessages: {},
      sceneVersions: {},
    });
    const notifier = createDiscordNotifier({
      rest: h.bot.client.rest,
      service: h.stack.service,
      log: createLogger({ level: 'silent' }),
      editIntervalMs: 0,
    });
    const event = {
      id: 'replayed',
      videoId,
      at: new Date().toISOString(),
      kind: 'video_ready' as const,
      stage: 'ready' as const,
      percent: 100,
    };
    await notifier.handle({ event, origin: {} });
    notifier.close();
    expect(h.fake.messages()).toHaveLength(channelBefore);
    expect(h.fake.messages(threadId)).toHaveLength(threadBefore);
    const delivery = await h.stack.service.delivery.get(videoId);
    expect(delivery.origin.progressMessageId).toBe(progress.id);
    expect(Object.keys(delivery.origin.sceneMessages as object)).toHaveLength(view.scenes.length);
  });
});
