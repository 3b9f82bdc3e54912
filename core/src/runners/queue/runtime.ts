import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { EventWakeups } from '../../events/types.js';
import type { Logger } from '../../log.js';
import { channelName, NOTIFY_QUEUES, type NotifyQueueName, QUEUE_NAMES } from './names.js';
import { openRedis, type RedisRole } from './redis.js';

/** Completed jobs kept (bull-board shows them; a kept id also dedupes a second add), and failed ones. */
export const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 } as const;
export const KEEP_FAILED = { age: 7 * 24 * 3600, count: 10_000 } as const;

export interface QueueRuntimeOptions {
  url: string;
  prefix: string;
  role: RedisRole;
  log: Logger;
}

type Channel = 'events' | 'cancel' | 'replicate';

/**
 * The Redis side of the QueueRunner, shared by fronts and workers: the queues (coordinator, the two
 * step pools, the notification queues) under one prefix, and pub/sub signals between processes
 * (event wake-ups, cancels, Replicate webhooks) on a dedicated subscriber connection.
 */
export interface QueueRuntime {
  readonly url: string;
  readonly prefix: string;
  /** The command connection (producer or worker settings, per role). */
  readonly redis: Redis;
  readonly works: Queue;
  readonly provider: Queue;
  readonly local: Queue;
  notify(name: NotifyQueueName): Queue;
  publish(channel: Channel, message: string): void;
  /** Calls `handler` with every message on `channel` until the returned function is called. */
  subscribe(channel: Channel, handler: (message: string) => void): () => void;
  /** Event wake-ups for the event bus. */
  readonly wakeups: EventWakeups;
  close(): Promise<void>;
}

export async function openQueueRuntime(options: QueueRuntimeOptions): Promise<QueueRuntime> {
  const { prefix, log } = options;
  const redis = await openRedis(options.url, options.role);
  const subscriber = await openRedis(options.url, 'worker').catch(async (error: unknown) => {
    redis.disconnect();
    throw error;
  });
  const defaultJobOptions: JobsOptions = { removeOnComplete: KEEP_COMPLETED, removeOnFail: KEEP_FAILED };
  const queue = (name: string) => {
    const created = new Queue(name, { connection: redis, prefix, defaultJobOptions });
    created.on('error', (error) => log.warn({ err: error, queue: name }, 'queue connection error'));
    return created;
  };
  const works = queue(QUEUE_NAMES.works);
  const provider = queue(QUEUE_NAMES.provider);
  const local = queue(QUEUE_NAMES.local);
  const notifyQueues = new Map<NotifyQueueName, Queue>();
  const handlers = new Map<string, Set<(message: string) => void>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(message);
      } catch (error) {
        log.warn({ err: error, channel }, 'signal handler failed');
      }
    }
  });

  const runtime: QueueRuntime = {
    url: options.url,
    prefix,
    redis,
    works,
    provider,
    local,
    notify(name) {
      let found = notifyQueues.get(name);
      if (!found) {
        if (!NOTIFY_QUEUES.includes(name)) throw new Error(`Unknown notification queue ${name}`);
        found = queue(name);
        notifyQueues.set(name, found);
      }
      return found;
    },
    publish(channel, message) {
      redis.publish(channelName(prefix, channel), message).catch((error: unknown) => {
        log.debug({ err: error, channel }, 'signal not published');
      });
    },
    subscribe(channel, handler) {
      const name = channelName(prefix, channel);
      let set = handlers.get(name);
      if (!set) {
        set = new Set();
        handlers.set(name, set);
        void subscriber.subscribe(name).catch((error: unknown) => log.warn({ err: error, name }, 'subscribe failed'));
      }
      set.add(handler);
      return () => {
        set.delete(handler);
      };
    },
    wakeups: {
      publish: (videoId) => runtime.publish('events', videoId),
      listen: (onWake) => runtime.subscribe('events', onWake),
    },
    async close() {
      await Promise.allSettled([
        works.close(),
        provider.close(),
        local.close(),
        ...[...notifyQueues.values()].map((q) => q.close()),
      ]);
      subscriber.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
  return runtime;
}
