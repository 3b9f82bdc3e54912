import type { Logger } from '@reelsmith/core';
import { type Core, type QueueRuntime, type SweepReport, sweepIntermediates } from '@reelsmith/core/worker';

const HOUR_MS = 3_600_000;

export interface StorageSweepOptions {
  /** KEEP_INTERMEDIATES_HOURS. */
  keepIntermediatesHours: number;
  /** How often each worker offers to sweep; default one hour. */
  intervalMs?: number;
}

export interface StorageSweeper {
  /** Sweeps now unless another worker (or this one) swept within the interval, or it stopped; undefined when skipped. */
  sweep(): Promise<SweepReport | undefined>;
  stop(): Promise<void>;
}

/**
 * The hourly sweep of local storage (S3 buckets expire intermediates with their lifecycle rule
 * instead). Every worker runs a timer — the first offer at start — and a Redis lock taken with
 * `SET {prefix}:storage-sweep NX PX` lets one worker per interval win, so N workers sweep about
 * hourly, not N times. A timer with a lock rather than a BullMQ job scheduler: nothing persists in
 * Redis to outlive the configuration (a deployment that moves to S3 simply stops offering), no
 * extra queue, and a missed or doubled run costs nothing because the sweep is idempotent.
 */
export function startStorageSweeper(
  runtime: QueueRuntime,
  deps: Pick<Core['pipeline'], 'db' | 'storage'>,
  log: Logger,
  options: StorageSweepOptions & {
    runnerId: string;
    /** How long `stop` waits for a running sweep (it is idempotent: one cut short is finished by the next). */
    stopWithinMs: number;
  },
): StorageSweeper {
  const intervalMs = options.intervalMs ?? HOUR_MS;
  // Held a little less than the interval, so the winner's next tick can take it again.
  const lockMs = Math.max(1, Math.floor(intervalMs * 0.9));
  const lockKey = `${runtime.prefix}:storage-sweep`;
  let running: Promise<SweepReport | undefined> | undefined;
  let stopped = false;

  const sweep = () => {
    if (stopped) return Promise.resolve(undefined);
    running ??= (async () => {
      const won = await runtime.redis.set(lockKey, options.runnerId, 'PX', lockMs, 'NX');
      if (won !== 'OK') return undefined;
      return sweepIntermediates(
        { db: deps.db, storage: deps.storage, log },
        { keepIntermediatesHours: options.keepIntermediatesHours },
      );
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  const offer = () => {
    sweep().catch((error: unknown) => log.warn({ err: error }, 'storage sweep failed'));
  };
  const timer = setInterval(offer, intervalMs);
  timer.unref();
  offer();
  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (!running) return;
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        running.catch(() => {}),
        new Promise<void>((resolve) => {
          bound = setTimeout(resolve, options.stopWithinMs);
        }),
      ]);
      clearTimeout(bound);
    },
  };
}
