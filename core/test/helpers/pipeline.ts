import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorker, type ReelsmithWorker, type WorkerOptions } from '../../../worker/src/create-worker.js';
import type { Core } from '../../src/app.js';
import type { Config } from '../../src/config.js';
import { createEventBus } from '../../src/events/event-bus.js';
import type { EventBus } from '../../src/events/types.js';
import { createLogger } from '../../src/log.js';
import { DEFAULT_MODEL_REGISTRY_URL, type ModelRegistry, parseModelRegistry } from '../../src/models/registry.js';
import type { PipelineDeps } from '../../src/pipeline/context.js';
import { createPlanner } from '../../src/plan/llm/index.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Providers } from '../../src/providers/types.js';
import { createInlineRunner } from '../../src/runners/inline-runner.js';
import { createQueueNotifier } from '../../src/runners/queue/notifier.js';
import { openQueueRuntime, type QueueRuntime } from '../../src/runners/queue/runtime.js';
import { createQueueRunner } from '../../src/runners/queue-runner.js';
import type { Runner } from '../../src/runners/types.js';
import { createVideoService, type VideoService, type VideoServiceDeps } from '../../src/service/video-service.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { createLocalBlobStore } from '../../src/storage/local.js';
import { createTestDatabase, type TestDatabase } from './postgres.js';

/**
 * A small, fast video model for pipeline tests: 320×180 at 12 fps, one 2.5 s output per call,
 * so a 5 s scene takes two chained chunks and a 10 s scene four.
 */
export const TINY_MODEL_YAML = `
  - key: tiny
    kind: video
    replicateId: test/tiny-video
    label: Tiny test model
    description: 320x180 12 fps, 2.5 s per call (tests only).
    actualChunkDurationS: 2.5
    durationControllable: false
    fps: 12
    width: 320
    height: 180
    params:
      prompt: prompt
      firstFrame: image
    fixedInputs: {}
    supports: { textToVideo: true, firstFrame: true, lastFrame: false, referenceImages: false }
    cost: { unit: second, usd: 0.01 }
    outputHasAudio: false
  - key: tiny-pairs
    kind: video
    replicateId: test/tiny-pairs-video
    label: Tiny last-frame test model
    description: 320x180 12 fps, 2 or 3 s per call, first and last frame (image-pairs tests only).
    allowedDurationsS: [2, 3]
    defaultDurationS: 2
    durationControllable: true
    fps: 12
    width: 320
    height: 180
    params:
      prompt: prompt
      firstFrame: first_frame_image
      lastFrame: last_frame_image
      duration: duration
    fixedInputs: {}
    supports: { textToVideo: true, firstFrame: true, lastFrame: true, referenceImages: false }
    cost: { unit: second, usd: 0.01 }
    outputHasAudio: false
`;

/** The shipped registry plus the `tiny` model, as YAML (spawned processes read it from MODEL_REGISTRY_FILE). */
export async function testRegistryYaml(): Promise<string> {
  const shipped = await readFile(DEFAULT_MODEL_REGISTRY_URL, 'utf8');
  return `${shipped.trimEnd()}\n${TINY_MODEL_YAML}`;
}

/** The shipped registry plus the `tiny` model. */
export async function testRegistry(): Promise<ModelRegistry> {
  return parseModelRegistry(await testRegistryYaml(), 'models.test.yaml');
}

/** The Redis every queue test shares; each stack uses a prefix of its own. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export type RunnerKind = 'inline' | 'queue';

/** Both runners, for `describe.each(RUNNERS)('… ($runner runner)', …)`: the same suite must pass on each. */
export const RUNNERS: ReadonlyArray<{ runner: RunnerKind }> = [{ runner: 'inline' }, { runner: 'queue' }];

export interface TestStack {
  database: TestDatabase;
  storage: BlobStore;
  dataDir: string;
  events: EventBus;
  runner: Runner;
  service: VideoService;
  deps: PipelineDeps;
  /** Queue stacks: the Redis side and the in-process worker (start more with `startWorker`). */
  queue?: {
    runtime: QueueRuntime;
    worker: ReelsmithWorker;
    prefix: string;
    startWorker(overrides?: Partial<WorkerOptions>): Promise<ReelsmithWorker>;
  };
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** Providers, or a factory given the stack's database, storage and registry (paid providers need them). */
  providers?: Providers | ((env: { db: TestDatabase['db']; storage: BlobStore; registry: ModelRegistry }) => Providers);
  providerLimit?: number;
  dailyBudgetUsd?: number;
  approvalThresholdUsd?: number;
  /** `inline` (default): work runs in the test process; `queue`: on BullMQ, run by a worker in this process. */
  runner?: RunnerKind;
  userConcurrentVideos?: number;
  /** The service's test seam for assets given as URLs (a loopback HTTPS CDN). */
  remoteFetch?: VideoServiceDeps['remoteFetch'];
  /** The planner (default: the rule planner); e.g. one that counts its calls. */
  planner?: PipelineDeps['planner'];
  /** The store (default: local files under `{dataDir}/storage`), e.g. an S3 store on s3rver; closed with the stack. */
  storage?: (dataDir: string) => Promise<BlobStore>;
  /** The service's clock (link codes expire by it); default the system clock. */
  clock?: VideoServiceDeps['clock'];
}

/** A fresh Redis key prefix for one test stack (no `:`). */
export function testPrefix(): string {
  return `rs-test-${randomBytes(5).toString('hex')}`;
}

/**
 * The whole stack on a fresh Postgres database and a temp folder, with real ffmpeg: the service on
 * the InlineRunner, or on the QueueRunner with a real BullMQ worker on real Redis (own prefix).
 */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-pipeline-'));
  const storage = options.storage
    ? await options.storage(dataDir)
    : createLocalBlobStore({ rootDir: join(dataDir, 'storage') });
  const registry = await testRegistry();
  const log = createLogger({ level: 'silent' });
  const providers =
    typeof options.providers === 'function'
      ? options.providers({ db: database.db, storage, registry })
      : (options.providers ?? createAnimaticProviders());
  const prefix = testPrefix();
  const runtime =
    options.runner === 'queue'
      ? await openQueueRuntime({ url: TEST_REDIS_URL, prefix, role: 'worker', log })
      : undefined;
  const notifier = runtime ? createQueueNotifier(runtime) : undefined;
  const events = createEventBus({ db: database.db, log, notifier, wakeups: runtime?.wakeups, pollMs: 250 });
  const deps: PipelineDeps = {
    db: database.db,
    storage,
    providers,
    registry,
    planner: options.planner ?? createPlanner({ log }),
    log,
    events,
    workRoot: join(dataDir, 'work'),
    limits: { provider: options.providerLimit ?? 4, local: 2 },
    budget: { dailyUsd: options.dailyBudgetUsd },
    userConcurrentVideos: options.userConcurrentVideos ?? 1,
  };
  const runner = runtime ? createQueueRunner(deps, runtime) : createInlineRunner(deps);
  const parts =
    runtime && notifier ? { runtime, notifier, deps, providers, storage, registry, events, database } : undefined;
  const extraWorkers: ReelsmithWorker[] = [];
  const worker = parts ? await startTestWorker(parts, options) : undefined;
  const service = createVideoService({
    db: database.db,
    storage,
    registry,
    planner: deps.planner,
    runner,
    events,
    providers,
    defaultVideoModel: 'tiny',
    log,
    dailyBudgetUsd: options.dailyBudgetUsd,
    approvalThresholdUsd: options.approvalThresholdUsd,
    ...(options.remoteFetch ? { remoteFetch: options.remoteFetch } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    database,
    storage,
    dataDir,
    events,
    runner,
    service,
    deps,
    ...(runtime && worker && parts
      ? {
          queue: {
            runtime,
            worker,
            prefix,
            async startWorker(overrides: Partial<WorkerOptions> = {}) {
              const another = await startTestWorker(parts, options, overrides);
              extraWorkers.push(another);
              return another;
            },
          },
        }
      : {}),
    async close() {
      await runner.close();
      await worker?.close();
      await Promise.all(extraWorkers.map((another) => another.close()));
      events.close();
      if (runtime) {
        await deleteKeys(runtime, prefix);
        await runtime.close();
      }
      await database.drop();
      await storage.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

interface WorkerParts {
  runtime: QueueRuntime;
  notifier: ReturnType<typeof createQueueNotifier>;
  deps: PipelineDeps;
  providers: Providers;
  storage: BlobStore;
  registry: ModelRegistry;
  events: EventBus;
  database: TestDatabase;
}

/** A worker in this process over the stack's own queue (what `npm run worker` runs, minus the process). */
export function startTestWorker(
  parts: WorkerParts,
  options: TestStackOptions = {},
  overrides: Partial<WorkerOptions> = {},
): Promise<ReelsmithWorker> {
  const core: Core = {
    config: {} as Config,
    pipeline: parts.deps,
    storage: parts.storage,
    registry: parts.registry,
    providers: parts.providers,
    events: parts.events,
    database: { kind: 'postgres', location: parts.database.url },
    queue: { runtime: parts.runtime, notifier: parts.notifier },
    close: async () => {},
  };
  return createWorker({
    core,
    log: parts.deps.log,
    concurrency: 4,
    localConcurrency: 2,
    providerConcurrency: options.providerLimit ?? 4,
    lockMs: 5000,
    shutdownMs: 2000,
    recoveryIntervalS: 3600,
    ...overrides,
  });
}

/** Removes every Redis key under `prefix` (a test's queues and locks). */
export async function deleteKeys(runtime: QueueRuntime, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await runtime.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await runtime.redis.del(...keys);
  } while (cursor !== '0');
}
