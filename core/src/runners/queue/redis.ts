import { Redis, type RedisOptions } from 'ioredis';
import { UserError } from '../../errors.js';

/**
 * Redis connections for the queue. Workers block on their connections, so theirs never give up on
 * a command (`maxRetriesPerRequest: null`, BullMQ's requirement) and ride out a Redis restart;
 * producers (fronts) fail fast instead of queueing commands while Redis is away
 * (`enableOfflineQueue: false`), so a request gets a clear error rather than hanging.
 */
export type RedisRole = 'worker' | 'producer';

const CONNECT_TIMEOUT_MS = 5000;

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0`: safe to print and log. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'the configured REDIS_URL (not a valid URL)';
  }
}

/**
 * Opens a connection and waits until Redis answers.
 * @throws UserError `redis_unreachable` naming the server (never its password).
 */
export async function openRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableOfflineQueue: role === 'worker',
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
  redis.on('error', () => {});
  try {
    await withTimeout(redis.connect(), CONNECT_TIMEOUT_MS);
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new UserError(
      'redis_unreachable',
      `Cannot reach Redis at ${describeRedisUrl(url)}: ${(error as Error)?.message ?? String(error)}. Start it, or fix REDIS_URL.`,
      { cause: error },
    );
  }
  return redis;
}

/**
 * BullMQ loses jobs when Redis evicts keys: refuses anything but `maxmemory-policy noeviction`.
 * @throws UserError `redis_eviction_policy` saying what to set.
 */
export async function assertNoEviction(redis: Redis, url: string): Promise<void> {
  const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown as string[];
  const policy = reply[1] ?? 'unknown';
  if (policy !== 'noeviction') {
    throw new UserError(
      'redis_eviction_policy',
      `Redis at ${describeRedisUrl(url)} has maxmemory-policy ${policy}; queued jobs would be evicted. Set it to noeviction (redis-server --maxmemory-policy noeviction, or CONFIG SET maxmemory-policy noeviction).`,
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
