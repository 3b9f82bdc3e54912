import { join } from 'node:path';
import type { Config } from './config.js';
import { ensureEmbeddingIndex } from './db/asset-embeddings.js';
import { openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { createEventBus } from './events/event-bus.js';
import type { EventBus, EventNotifier } from './events/types.js';
import type { Logger } from './log.js';
import { configureMediaBinaries } from './media/binaries.js';
import { loadModelRegistry, type ModelRegistry } from './models/registry.js';
import type { PipelineDeps } from './pipeline/context.js';
import { createPlanner } from './plan/llm/index.js';
import { createPairPicker } from './plan/pairs/index.js';
import { openEmbeddings, openProviders } from './providers/index.js';
import type { ProviderName, Providers } from './providers/types.js';
import { createInlineRunner } from './runners/inline-runner.js';
import type { NotifyQueueName } from './runners/queue/names.js';
import type { NotificationConsumer, NotificationConsumerOptions } from './runners/queue/notification-consumer.js';
import type { QueueRuntime } from './runners/queue/runtime.js';
import type { Runner } from './runners/types.js';
import { createStorageAdmin, type StorageAdmin } from './service/storage-admin.js';
import { createVideoService, type VideoService } from './service/video-service.js';
import type { BlobStore } from './storage/blob-store.js';
import { openBlobStore } from './storage/open.js';

export { openCatalog } from './open-catalog.js';

export interface Reelsmith {
  service: VideoService;
  /** Where the data lives, safe to print. */
  database: { kind: 'postgres' | 'pglite'; location: string };
  provider: ProviderName;
  /** Which runner executes this process's work: `queue` (REDIS_URL set, on workers) or `inline`. */
  runner: Runner['kind'];
  /**
   * With the queue: consumes a front's notification queue (`notify-discord`, `notify-slack`),
   * each event handled once across restarts (see `createNotificationConsumer`). Undefined inline.
   */
  notifications:
    | {
        consume(
          queue: NotifyQueueName,
          handle: NotificationConsumerOptions['handle'],
          options?: { concurrency?: number },
        ): Promise<NotificationConsumer>;
      }
    | undefined;
  close(): Promise<void>;
}

export interface OpenReelsmithOptions {
  log: Logger;
  provider?: ProviderName;
}

/** What both a front and a worker are made of: data, storage, models, providers, events, and the queue when configured. */
export interface Core {
  config: Config;
  pipeline: PipelineDeps;
  storage: BlobStore;
  registry: ModelRegistry;
  providers: Providers;
  events: EventBus;
  database: { kind: 'postgres' | 'pglite'; location: string };
  /** Present when REDIS_URL is set. */
  queue: { runtime: QueueRuntime; notifier: EventNotifier } | undefined;
  close(): Promise<void>;
}

export interface OpenCoreOptions extends OpenReelsmithOptions {
  /**
   * `front`: a process that submits work (CLI, MCP, bots); its Redis connection fails fast.
   * `worker`: a process that runs steps; its connection rides out Redis restarts, Redis must not
   * evict keys, and provider 429s are raised so the whole pool pauses.
   */
  role: 'front' | 'worker';
}

/**
 * Opens the pieces every Reelsmith process shares from a parsed config: the database (migrated),
 * storage, the model registry, providers, the planner, the event bus, and, with REDIS_URL, the
 * queue runtime (Redis checked first).
 * @throws UserError `database_unreachable`, `redis_unreachable`, `redis_eviction_policy`, …
 */
export async function openCore(config: Config, options: OpenCoreOptions): Promise<Core> {
  const { log } = options;
  configureMediaBinaries({ ffmpegPath: config.media.ffmpegPath, ffprobePath: config.media.ffprobePath });
  const registry = loadModelRegistry(config.modelRegistryFile);
  registry.get(config.generation.defaultVideoModel, 'video');
  // BullMQ and ioredis are loaded only with REDIS_URL, so in-process deployments stay light.
  const queueModules = config.redisUrl
    ? await Promise.all([
        import('./runners/queue/runtime.js'),
        import('./runners/queue/notifier.js'),
        import('./runners/queue/redis.js'),
      ])
    : undefined;
  const runtime =
    config.redisUrl && queueModules
      ? await queueModules[0].openQueueRuntime({
          url: config.redisUrl,
          prefix: config.queuePrefix,
          role: options.role === 'worker' ? 'worker' : 'producer',
          log,
        })
      : undefined;
  const closers: Array<() => Promise<void>> = [];
  try {
    if (runtime) {
      closers.push(() => runtime.close());
      if (options.role === 'worker') await queueModules?.[2].assertNoEviction(runtime.redis, runtime.url);
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    closers.unshift(() => database.close());
    await migrateToLatest(database.db);
    const storage = await openBlobStore({ dataDir: config.dataDir, ...(config.s3 ? { s3: config.s3 } : {}) });
    closers.unshift(() => storage.close());
    const providers = await openProviders(config, {
      log,
      provider: options.provider,
      db: database.db,
      storage,
      registry,
      rateLimits: options.role === 'worker' && runtime ? 'raise' : 'wait',
    });
    const embeddings = await openEmbeddings(config, { log, db: database.db, storage, registry });
    await ensureEmbeddingIndex(database.db, embeddings.model, embeddings.dimensions).catch((error: unknown) => {
      // Another process creating it at the same moment; searches scan exactly until it exists.
      log.warn({ err: error, model: embeddings.model }, 'Creating the embedding index failed');
    });
    const notifier = runtime ? queueModules?.[1].createQueueNotifier(runtime) : undefined;
    const events = createEventBus({ db: database.db, log, notifier, wakeups: runtime?.wakeups });
    closers.unshift(async () => events.close());
    const { apiKey, baseUrl, model } = config.llm;
    const planner = createPlanner({ log, ...(apiKey ? { llm: { apiKey, baseUrl, model } } : {}) });
    const pairPicker = createPairPicker({ log, ...(apiKey ? { llm: { apiKey, baseUrl, model } } : {}) });
    const pipeline: PipelineDeps = {
      db: database.db,
      storage,
      providers,
      registry,
      planner,
      pairPicker,
      log,
      events,
      workRoot: join(config.dataDir, 'work'),
      limits: { provider: config.generation.providerConcurrency, local: 2 },
      budget: { dailyUsd: config.generation.dailyBudgetUsd },
      userConcurrentVideos: config.generation.userConcurrentVideos,
      embeddings,
    };
    return {
      config,
      pipeline,
      storage,
      registry,
      providers,
      events,
      database: { kind: database.kind, location: database.location },
      queue: runtime && notifier ? { runtime, notifier } : undefined,
      async close() {
        for (const close of closers) await close().catch(() => {});
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}

/**
 * Wires one front's Reelsmith (CLI, MCP server, bots): the core, a runner — the QueueRunner when
 * REDIS_URL is set (work runs on `npm run worker` processes), else the InlineRunner (work runs
 * here) — and the VideoService. Fronts call `service` only.
 */
export async function openReelsmith(config: Config, options: OpenReelsmithOptions): Promise<Reelsmith> {
  const core = await openCore(config, { ...options, role: 'front' });
  const runner = core.queue
    ? (await import('./runners/queue-runner.js')).createQueueRunner(core.pipeline, core.queue.runtime)
    : createInlineRunner(core.pipeline);
  const service = createVideoService({
    db: core.pipeline.db,
    storage: core.storage,
    registry: core.registry,
    planner: core.pipeline.planner,
    runner,
    events: core.events,
    providers: core.providers,
    defaultVideoModel: config.generation.defaultVideoModel,
    log: options.log,
    dailyBudgetUsd: config.generation.dailyBudgetUsd,
    approvalThresholdUsd: config.generation.approvalThresholdUsd,
    ...(core.pipeline.embeddings ? { embeddings: core.pipeline.embeddings } : {}),
    assetSearch: config.assetSearch,
  });
  const consumers: NotificationConsumer[] = [];
  const queue = core.queue;
  return {
    service,
    database: core.database,
    provider: core.providers.name,
    runner: runner.kind,
    notifications: queue
      ? {
          async consume(name, handle, consumeOptions = {}) {
            const { createNotificationConsumer } = await import('./runners/queue/notification-consumer.js');
            const consumer = createNotificationConsumer({
              runtime: queue.runtime,
              db: core.pipeline.db,
              log: options.log,
              queue: name,
              handle,
              ...(consumeOptions.concurrency ? { concurrency: consumeOptions.concurrency } : {}),
            });
            consumers.push(consumer);
            return consumer;
          },
        }
      : undefined,
    async close() {
      await Promise.all(consumers.map((consumer) => consumer.close()));
      await runner.close();
      await core.close();
    },
  };
}

/**
 * The storage verbs (`reelsmith storage usage|sweep|lifecycle`) over the configured database (migrated)
 * and storage, without a queue, providers or a runner. Close it when done.
 */
export async function openStorageAdmin(config: Config, options: { log: Logger }): Promise<StorageAdmin> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    await migrateToLatest(database.db);
    const storage = await openBlobStore({ dataDir: config.dataDir, ...(config.s3 ? { s3: config.s3 } : {}) });
    return createStorageAdmin({
      db: database.db,
      storage,
      log: options.log,
      keepIntermediatesHours: config.lifecycle.keepIntermediatesHours,
      s3: config.s3,
      async close() {
        await storage.close();
        await database.close();
      },
    });
  } catch (error) {
    await database.close();
    throw error;
  }
}
