import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import { DEFAULT_MODEL_REGISTRY_URL, type ModelRegistry, parseModelRegistry } from '../../src/models/registry.js';
import type { PipelineDeps } from '../../src/pipeline/context.js';
import { createEventBus, type EventBus } from '../../src/pipeline/events.js';
import { createPlanner } from '../../src/plan/llm/index.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import type { Providers } from '../../src/providers/types.js';
import { createInlineRunner } from '../../src/runners/inline-runner.js';
import type { Runner } from '../../src/runners/types.js';
import { createVideoService, type VideoService } from '../../src/service/video-service.js';
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
`;

/** The shipped registry plus the `tiny` model. */
export async function testRegistry(): Promise<ModelRegistry> {
  const shipped = await readFile(DEFAULT_MODEL_REGISTRY_URL, 'utf8');
  return parseModelRegistry(`${shipped.trimEnd()}\n${TINY_MODEL_YAML}`, 'models.test.yaml');
}

export interface TestStack {
  database: TestDatabase;
  storage: BlobStore;
  dataDir: string;
  events: EventBus;
  runner: Runner;
  service: VideoService;
  deps: PipelineDeps;
  close(): Promise<void>;
}

export interface TestStackOptions {
  /** Providers, or a factory given the stack's database, storage and registry (paid providers need them). */
  providers?: Providers | ((env: { db: TestDatabase['db']; storage: BlobStore; registry: ModelRegistry }) => Providers);
  providerLimit?: number;
  dailyBudgetUsd?: number;
  approvalThresholdUsd?: number;
}

/** The whole in-process stack on a fresh Postgres database and a temp folder, with real ffmpeg. */
export async function createTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-pipeline-'));
  const storage = createLocalBlobStore({ rootDir: join(dataDir, 'storage') });
  const events = createEventBus();
  const registry = await testRegistry();
  const providers =
    typeof options.providers === 'function'
      ? options.providers({ db: database.db, storage, registry })
      : (options.providers ?? createAnimaticProviders());
  const deps: PipelineDeps = {
    db: database.db,
    storage,
    providers,
    registry,
    planner: createPlanner({ log: createLogger({ level: 'silent' }) }),
    log: createLogger({ level: 'silent' }),
    events,
    workRoot: join(dataDir, 'work'),
    limits: { provider: options.providerLimit ?? 4, local: 2 },
    budget: { dailyUsd: options.dailyBudgetUsd },
  };
  const runner = createInlineRunner(deps);
  const service = createVideoService({
    db: database.db,
    storage,
    registry,
    planner: deps.planner,
    runner,
    events,
    providers,
    defaultVideoModel: 'tiny',
    log: deps.log,
    dailyBudgetUsd: options.dailyBudgetUsd,
    approvalThresholdUsd: options.approvalThresholdUsd,
  });
  return {
    database,
    storage,
    dataDir,
    events,
    runner,
    service,
    deps,
    async close() {
      await runner.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
