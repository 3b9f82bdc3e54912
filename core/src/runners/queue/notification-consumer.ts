import { type Job, Worker } from 'bullmq';
import type { Kysely } from 'kysely';
import { isEventNotified, markEventNotified } from '../../db/events.js';
import type { Database } from '../../db/schema.js';
import type { Logger } from '../../log.js';
import type { NotifyQueueName } from './names.js';
import type { NotificationJobData } from './notifier.js';
import type { QueueRuntime } from './runtime.js';

export interface NotificationConsumerOptions {
  runtime: QueueRuntime;
  db: Kysely<Database>;
  log: Logger;
  queue: NotifyQueueName;
  /** Posts or edits whatever the front shows for this event; a rejection retries the job with backoff. */
  handle(data: NotificationJobData, job: Job): Promise<void>;
  /** Jobs handled at once. Default 1: a video's notifications are handled in the order they were emitted. */
  concurrency?: number;
}

export interface NotificationConsumer {
  close(): Promise<void>;
}

/**
 * A front's consumer of its notification queue (`notify-discord`, `notify-slack`). Each event is a
 * durable job whose id is the event id; once `handle` resolves the event is marked notified in
 * Postgres, so a job delivered again (a consumer restarted after handling it, the relay re-adding
 * it) is skipped: across restarts nothing is lost and nothing is handled twice. (A consumer killed
 * between its own side effect and that mark may repeat it once; fronts keep their own message ids.)
 */
export function createNotificationConsumer(options: NotificationConsumerOptions): NotificationConsumer {
  const { runtime, db, log } = options;
  // A consumer blocks on Redis like a worker does, whatever the role of the front's runtime.
  const connection = runtime.redis.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
  connection.on('error', () => {});
  const worker = new Worker(
    options.queue,
    async (job: Job) => {
      const data = job.data as NotificationJobData;
      if (await isEventNotified(db, data.event.id)) return { duplicate: true };
      await options.handle(data, job);
      await markEventNotified(db, data.event.id);
      return { handled: true };
    },
    { connection, prefix: runtime.prefix, concurrency: options.concurrency ?? 1 },
  );
  worker.on('error', (error) => log.warn({ err: error, queue: options.queue }, 'notification consumer error'));
  worker.on('failed', (job, error) =>
    log.warn(
      { err: error, eventId: job?.id, queue: options.queue },
      'notification not handled yet; it will be retried',
    ),
  );
  return {
    async close() {
      await worker.close();
      connection.disconnect();
    },
  };
}
