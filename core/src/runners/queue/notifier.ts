import type { Kysely } from 'kysely';
import { listUnqueuedEvents, markEventQueued } from '../../db/events.js';
import type { Database } from '../../db/schema.js';
import { findVideoById } from '../../db/videos.js';
import type { EventNotifier, VideoEvent } from '../../events/types.js';
import { NOTIFY_QUEUES, type NotifyQueueName } from './names.js';
import type { QueueRuntime } from './runtime.js';

/** What a notification job carries: the event and where the video's front wants it delivered. */
export interface NotificationJobData {
  event: VideoEvent;
  origin: Record<string, unknown>;
}

/**
 * Hands events to the fronts' notification queues as durable jobs whose id is the event id, so a
 * second hand-off of the same event (the relay after a crash) adds nothing while the first job is
 * kept (completed jobs are kept a day).
 */
export function createQueueNotifier(runtime: QueueRuntime): EventNotifier {
  return {
    async enqueue(queue, event, origin) {
      if (!NOTIFY_QUEUES.includes(queue as NotifyQueueName)) return;
      const data: NotificationJobData = { event, origin };
      await runtime.notify(queue as NotifyQueueName).add(event.kind, data, {
        jobId: event.id,
        attempts: 8,
        backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
      });
    },
  };
}

/**
 * The outbox relay: events stored for a notification queue but not handed over (the process died
 * in between, or Redis was away) are handed over now. Returns how many.
 */
export async function relayUnqueuedEvents(
  db: Kysely<Database>,
  notifier: EventNotifier,
  olderThanMs = 5000,
): Promise<number> {
  const pending = await listUnqueuedEvents(db, new Date(Date.now() - olderThanMs));
  let relayed = 0;
  for (const row of pending) {
    const event = row.payload as unknown as VideoEvent;
    const origin = ((await findVideoById(db, row.video_id))?.origin ?? {}) as Record<string, unknown>;
    await notifier.enqueue(row.notify_queue as string, event, origin);
    await markEventQueued(db, row.id);
    relayed += 1;
  }
  return relayed;
}
