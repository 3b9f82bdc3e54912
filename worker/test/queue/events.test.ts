import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../../core/src/db/connect.js';
import { createEventBus } from '../../../core/src/events/event-bus.js';
import type { VideoEvent } from '../../../core/src/events/types.js';
import { createLogger } from '../../../core/src/log.js';
import { createNotificationConsumer } from '../../../core/src/runners/queue/notification-consumer.js';
import { createQueueNotifier, type NotificationJobData } from '../../../core/src/runners/queue/notifier.js';
import { openQueueRuntime, type QueueRuntime } from '../../../core/src/runners/queue/runtime.js';
import type { Owner } from '../../../core/src/service/types.js';
import { createTestStack, TEST_REDIS_URL, type TestStack } from '../../../core/test/helpers/pipeline.js';

const owner: Owner = { platform: 'discord', platformUserId: '111111111111111111' };
const log = createLogger({ level: 'silent' });

describe('events across processes', () => {
  let stack: TestStack;
  let other: QueueRuntime;
  beforeAll(async () => {
    stack = await createTestStack({ runner: 'queue' });
    other = await openQueueRuntime({
      url: TEST_REDIS_URL,
      prefix: stack.queue?.prefix as string,
      role: 'producer',
      log,
    });
  });
  afterAll(async () => {
    await other?.close();
    await stack?.close();
  });

  async function storedEvents(videoId: string) {
    return stack.database.db.selectFrom('events').selectAll().where('video_id', '=', videoId).orderBy('seq').execute();
  }

  it('reach service.events in another process in order, woken by Redis (no polling)', async () => {
    const database = await openPostgres(stack.database.url);
    const bus = createEventBus({ db: database.db, log, wakeups: other.wakeups, pollMs: 600_000 });
    try {
      const created = await stack.service.create(owner, { prompt: 'koi in a pond', durationS: 10, model: 'tiny' });
      const received: VideoEvent[] = [];
      for await (const event of bus.subscribe(created.videoId, AbortSignal.timeout(60_000))) received.push(event);
      expect(received.at(-1)).toMatchObject({ kind: 'video_ready', percent: 100 });
      const kinds = new Set(received.map((event) => event.kind));
      for (const kind of ['progress', 'storyboard_ready', 'scene_ready', 'video_ready'] as const)
        expect(kinds).toContain(kind);
      const stored = (await storedEvents(created.videoId)).map((row) => row.id);
      expect(received.map((event) => event.id)).toEqual(stored.slice(stored.indexOf(received[0]?.id as string)));
      const percents = received.map((event) => event.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(received.some((event) => typeof event.etaS === 'number' && event.sceneCount === 2)).toBe(true);
    } finally {
      bus.close();
      await database.close();
    }
  });

  it('reach the notification queue of the video origin, each handled exactly once across a consumer restart', async () => {
    const handled: string[] = [];
    const consumerOptions = {
      runtime: other,
      db: stack.database.db,
      log,
      queue: 'notify-discord' as const,
      async handle(data: NotificationJobData) {
        expect(data.origin).toMatchObject({ platform: 'discord', channelId: '222222222222222222' });
        handled.push(data.event.id);
        await sleep(20);
      },
    };
    let consumer = createNotificationConsumer(consumerOptions);
    const created = await stack.service.create(
      owner,
      { prompt: 'paper cranes falling', durationS: 10, model: 'tiny' },
      { origin: { platform: 'discord', channelId: '222222222222222222' } },
    );
    while (handled.length < 3) await sleep(10);
    await consumer.close();
    const beforeRestart = handled.length;
    consumer = createNotificationConsumer(consumerOptions);
    await stack.service.settled(created.videoId);
    const stored = await storedEvents(created.videoId);
    for (let i = 0; i < 500 && handled.length < stored.length; i++) await sleep(20);
    expect(stored.every((row) => row.notify_queue === 'notify-discord' && row.queued_at !== null)).toBe(true);
    expect(handled).toEqual(stored.map((row) => row.id));
    expect(handled.length).toBeGreaterThan(beforeRestart);

    const again = stored[1];
    await other.notify('notify-discord').remove(again?.id as string);
    await createQueueNotifier(other).enqueue('notify-discord', again?.payload as unknown as VideoEvent, {});
    await sleep(500);
    await consumer.close();
    expect(handled.filter((id) => id === again?.id)).toHaveLength(1);
  });
});
