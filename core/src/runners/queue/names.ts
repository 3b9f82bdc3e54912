/**
 * Names in Redis. Every queue lives under the deployment's prefix (`QUEUE_PREFIX`, default
 * `reelsmith`), so tests and staging can share one Redis; pub/sub channels carry the same prefix.
 */
export const QUEUE_NAMES = {
  /** One coordinator job per admitted work (`work.{workId}`): it adds the work's first steps. */
  works: 'works',
  /** Steps of the provider pool (generations): globally capped by PROVIDER_CONCURRENCY. */
  provider: 'steps-provider',
  /** Steps of the local pool (ffmpeg). */
  local: 'steps-local',
} as const;

/** The fronts' notification queues, by platform. */
export const NOTIFY_QUEUES = ['notify-discord', 'notify-slack'] as const;
export type NotifyQueueName = (typeof NOTIFY_QUEUES)[number];

/** Pub/sub channels: new events of a video, cancels, verified Replicate webhooks. */
export function channelName(prefix: string, channel: 'events' | 'cancel' | 'replicate'): string {
  return `${prefix}:signal:${channel}`;
}

/** The coordinator job of a work. Job ids never contain `:` (BullMQ) and are never all digits. */
export function workJobId(workId: string): string {
  return `work.${workId}`;
}
