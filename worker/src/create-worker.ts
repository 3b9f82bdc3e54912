import type { Server } from 'node:http';
import { hostname } from 'node:os';
import type { Logger } from '@reelsmith/core';
import {
  ActiveJobs,
  advanceWork,
  type Core,
  createReplicateWebhookHandler,
  findStep,
  isStepName,
  processWorkJob,
  QUEUE_NAMES,
  type RecoveryReport,
  type ReplicateProviders,
  recordStepFailed,
  recoverWorks,
  retryDelayMs,
  SETTLED_STEP_STATUSES,
  StepJobData,
  type StepJobDeps,
  type SweepReport,
  stepNamed,
} from '@reelsmith/core/worker';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { createAdminServer } from './admin.js';
import { createHttpServer, listen, type Route } from './http.js';
import { PROCESSORS } from './processors/index.js';
import { type StorageSweeper, type StorageSweepOptions, startStorageSweeper } from './storage-sweep.js';

/** Replicate's create limit (600/min) as the provider pool's limiter; `queue.rateLimit` pauses it on a 429. */
const PROVIDER_LIMITER = { max: 600, duration: 60_000 };
const WORKS_CONCURRENCY = 8;
/** Backoff for jobs that are not steps (a coordinator job), should one name the custom strategy. */
const DEFAULT_RETRY = { attempts: 5, delayMs: 500, maxDelayMs: 10_000 };

export interface WorkerOptions {
  core: Core;
  log: Logger;
  /** Provider-pool jobs this process runs at once (WORKER_CONCURRENCY). */
  concurrency: number;
  /** Local-pool (ffmpeg) jobs this process runs at once (WORKER_LOCAL_CONCURRENCY). */
  localConcurrency: number;
  /** In-flight provider calls across every worker (PROVIDER_CONCURRENCY): the pool's global concurrency. */
  providerConcurrency: number;
  /** BullMQ lock duration and stalled-check interval (WORKER_LOCK_MS). */
  lockMs: number;
  /** How long `close` lets running jobs finish before handing them back (WORKER_SHUTDOWN_MS). */
  shutdownMs: number;
  /** Recovery period (WORKER_RECOVERY_S), seconds; the first pass starts with the worker. */
  recoveryIntervalS: number;
  /** `GET /healthz`, `GET /readyz` (and the webhook when `webhookPort` is unset); 0 = any free port. */
  healthPort?: number | undefined;
  webhookPort?: number | undefined;
  /** bull-board, only when `adminToken` is set. */
  adminPort?: number | undefined;
  adminToken?: string | undefined;
  /** Replicate webhook signing secret (`whsec_…`): serves `POST /webhooks/replicate` when set. */
  webhookSecret?: string | undefined;
  /** Recorded on each step it runs. Default `host:pid`. */
  runnerId?: string;
  /**
   * The periodic sweep of expired intermediates (`storage-sweep.ts`); off when absent. `main.ts` turns it on
   * for local storage only: S3 buckets expire them with their lifecycle rule.
   */
  storageSweep?: StorageSweepOptions | undefined;
}

export interface ReelsmithWorker {
  /** Ports the servers listen on (useful with port 0). */
  ports: { health?: number; webhook?: number; admin?: number };
  /** Runs a recovery pass now (also runs periodically). */
  recover(): Promise<RecoveryReport>;
  /**
   * Offers a storage sweep now (also offered periodically when `storageSweep` is set): the report, or
   * undefined when the sweep is off or another worker swept within the interval.
   */
  sweepStorage(): Promise<SweepReport | undefined>;
  /** Stops taking jobs, lets running ones finish within `shutdownMs`, hands back the rest, closes. */
  close(): Promise<void>;
}

/**
 * A worker: BullMQ workers on the coordinator queue and the two step pools (one processor per step
 * kind, each a thin call into core), cancel and webhook signals from other processes, the periodic
 * recovery of Postgres-vs-Redis drift, and the health, webhook and admin endpoints. `main.ts` only
 * reads the environment and handles signals.
 */
export async function createWorker(options: WorkerOptions): Promise<ReelsmithWorker> {
  const { core, log } = options;
  if (!core.queue) throw new Error('createWorker needs a core opened with REDIS_URL');
  const { runtime, notifier } = core.queue;
  const deps = core.pipeline;
  const active = new ActiveJobs();
  const runnerId = options.runnerId ?? `${hostname()}:${process.pid}`;
  const context: StepJobDeps = { runtime, deps, active, runnerId };
  const common = {
    connection: runtime.redis,
    prefix: runtime.prefix,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A job whose worker died is run again; one that takes down its worker six times is poison.
    maxStalledCount: 5,
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, err?: Error, job?: { name: string }) =>
        retryDelayMs(job && isStepName(job.name) ? stepNamed(job.name).retry : DEFAULT_RETRY, attemptsMade, err),
    },
  };
  await runtime.provider.setGlobalConcurrency(options.providerConcurrency);
  const dispatch = (job: Job, token?: string, signal?: AbortSignal) => {
    const processor = (PROCESSORS as Record<string, (typeof PROCESSORS)['plan'] | undefined>)[job.name];
    if (!processor) throw new UnrecoverableError(`No processor for step "${job.name}" (job ${job.id})`);
    return processor(context, job, token, signal);
  };
  const workers = [
    new Worker(QUEUE_NAMES.works, (job) => processWorkJob(context, job), { ...common, concurrency: WORKS_CONCURRENCY }),
    new Worker(QUEUE_NAMES.provider, dispatch, {
      ...common,
      concurrency: options.concurrency,
      limiter: PROVIDER_LIMITER,
    }),
    new Worker(QUEUE_NAMES.local, dispatch, { ...common, concurrency: options.localConcurrency }),
  ];
  for (const worker of workers) {
    worker.on('error', (error) => log.warn({ err: error, queue: worker.name }, 'worker error'));
    worker.on('failed', (job, error) => {
      const level = error instanceof UnrecoverableError ? 'info' : 'warn';
      log[level]({ err: error, job: job?.id, attempts: job?.attemptsMade }, 'job attempt failed');
      void settleLostFailure(job, error);
    });
    worker.on('stalled', (jobId) => log.warn({ job: jobId, queue: worker.name }, 'job stalled; it runs again'));
  }

  /** A job BullMQ failed outside the processor (stalled too often): its step is settled as failed. */
  const settleLostFailure = async (job: Job | undefined, error: Error) => {
    if (!job || job.queueName === QUEUE_NAMES.works) return;
    const parsed = StepJobData.safeParse(job.data);
    if (!parsed.success) return;
    const step = await findStep(deps.db, parsed.data.node.id).catch(() => undefined);
    if (!step || SETTLED_STEP_STATUSES.includes(step.status)) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1) && !(error instanceof UnrecoverableError)) return;
    try {
      await recordStepFailed(deps.db, step.key, { code: 'generation_failed', message: error.message });
      await advanceWork(runtime, deps, parsed.data.workId, { settled: parsed.data.node });
    } catch (failure) {
      log.warn({ err: failure, step: step.key }, 'could not settle a step BullMQ failed');
    }
  };

  const stopCancels = runtime.subscribe('cancel', (videoId) => {
    const n = active.cancelVideo(videoId);
    if (n > 0) log.info({ videoId, jobs: n }, 'cancelled the running jobs of a video');
  });
  const replicate = core.providers.name === 'replicate' ? (core.providers as ReplicateProviders) : undefined;
  const stopWebhooks = replicate
    ? runtime.subscribe('replicate', (message) => {
        const { prediction, correlationId } = JSON.parse(message) as {
          prediction: Parameters<ReplicateProviders['deliverWebhook']>[0];
          correlationId?: string;
        };
        replicate.deliverWebhook(prediction, { correlationId });
      })
    : () => {};
  const routes: Record<string, Route> = {};
  if (replicate && options.webhookSecret) {
    routes['/webhooks/replicate'] = createReplicateWebhookHandler({
      secret: options.webhookSecret,
      onPrediction: (prediction, delivery) => {
        const { input: _input, logs: _logs, ...light } = prediction;
        runtime.publish('replicate', JSON.stringify({ prediction: light, correlationId: delivery.correlationId }));
        replicate.deliverWebhook(prediction, { correlationId: delivery.correlationId });
      },
    });
  }

  const ready = async () => {
    const problems: string[] = [];
    await runtime.redis.ping().catch((error: unknown) => problems.push(`redis: ${(error as Error).message}`));
    await deps.db
      .selectNoFrom((eb) => eb.lit(1).as('one'))
      .execute()
      .catch((error: unknown) => problems.push(`postgres: ${(error as Error).message}`));
    for (const worker of workers) if (!worker.isRunning()) problems.push(`worker ${worker.name} is not running`);
    return { ok: problems.length === 0, problems };
  };
  const servers: Server[] = [];
  const ports: ReelsmithWorker['ports'] = {};
  const separateWebhooks = options.webhookPort !== undefined && options.webhookPort !== options.healthPort;
  if (options.healthPort !== undefined) {
    const health = createHttpServer({ ready, routes: separateWebhooks ? {} : routes });
    servers.push(health);
    ports.health = await listen(health, options.healthPort);
    if (!separateWebhooks && routes['/webhooks/replicate']) ports.webhook = ports.health;
  }
  if (separateWebhooks && options.webhookPort !== undefined) {
    const hooks = createHttpServer({ ready, routes });
    servers.push(hooks);
    ports.webhook = await listen(hooks, options.webhookPort);
  }
  if (options.adminToken && options.adminPort !== undefined) {
    const admin = createAdminServer(
      [
        runtime.works,
        runtime.provider,
        runtime.local,
        runtime.notify('notify-discord'),
        runtime.notify('notify-slack'),
      ],
      options.adminToken,
    );
    servers.push(admin);
    ports.admin = await listen(admin, options.adminPort);
  }

  let recovering: Promise<RecoveryReport> | undefined;
  const recover = () => {
    recovering ??= recoverWorks(runtime, deps, notifier).finally(() => {
      recovering = undefined;
    });
    return recovering;
  };
  const timer = setInterval(() => {
    recover().catch((error: unknown) => log.warn({ err: error }, 'recovery pass failed'));
  }, options.recoveryIntervalS * 1000);
  timer.unref();
  // The first pass runs at once but does not hold up readiness (a lock of a dead worker can delay it).
  recover().catch((error: unknown) => log.warn({ err: error }, 'first recovery pass failed'));
  const sweeper: StorageSweeper | undefined = options.storageSweep
    ? startStorageSweeper(runtime, deps, log, { ...options.storageSweep, runnerId, stopWithinMs: options.shutdownMs })
    : undefined;

  let closing: Promise<void> | undefined;
  return {
    ports,
    recover,
    sweepStorage: async () => sweeper?.sweep(),
    close() {
      closing ??= (async () => {
        clearInterval(timer);
        await sweeper?.stop();
        stopCancels();
        stopWebhooks();
        const closed = Promise.all(workers.map((worker) => worker.close()));
        const inTime = await Promise.race([
          closed.then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), options.shutdownMs).unref()),
        ]);
        if (!inTime) {
          log.warn({ jobs: active.size }, 'shutdown: handing the running jobs back to the queue');
          active.shutdown();
          await closed;
        }
        await recovering?.catch(() => {});
        await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      })();
      return closing;
    },
  };
}
