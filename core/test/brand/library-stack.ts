import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddingProvider } from '../../src/embeddings/types.js';
import { createEventBus } from '../../src/events/event-bus.js';
import { createLogger } from '../../src/log.js';
import type { PipelineDeps } from '../../src/pipeline/context.js';
import { createPlanner } from '../../src/plan/llm/index.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import { createInlineRunner } from '../../src/runners/inline-runner.js';
import type { AssetSearchSettings } from '../../src/service/asset-types.js';
import { createVideoService, type VideoService } from '../../src/service/video-service.js';
import type { BlobStore } from '../../src/storage/blob-store.js';
import { createLocalBlobStore } from '../../src/storage/local.js';
import type { DisposableDatabase, TestBackend } from '../helpers/databases.js';
import { testRegistry } from '../helpers/pipeline.js';

export interface LibraryStack {
  database: DisposableDatabase;
  storage: BlobStore;
  storageRoot: string;
  service: VideoService;
  close(): Promise<void>;
}

/**
 * The VideoService on a fresh database of `backend` (PGlite: the pgvector path; Postgres here: the
 * real[] path), local storage in a temp folder, the animatic and the inline runner: what the
 * brand-library verbs need, with the embedding provider under test.
 */
export async function createLibraryStack(
  backend: TestBackend,
  options: {
    /** The provider, or a factory given the stack's database and storage (Replicate needs them). */
    embeddings?: EmbeddingProvider | ((env: { db: DisposableDatabase['db']; storage: BlobStore }) => EmbeddingProvider);
    assetSearch?: AssetSearchSettings;
    /** A database already made (and migrated) on `backend`, e.g. one holding rows from before a migration. */
    database?: DisposableDatabase;
  } = {},
): Promise<LibraryStack> {
  const database = options.database ?? (await backend.create());
  const dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-brand-'));
  const storageRoot = join(dataDir, 'storage');
  const storage = createLocalBlobStore({ rootDir: storageRoot });
  const registry = await testRegistry();
  const log = createLogger({ level: 'silent' });
  const embeddings =
    typeof options.embeddings === 'function' ? options.embeddings({ db: database.db, storage }) : options.embeddings;
  const events = createEventBus({ db: database.db, log, pollMs: 250 });
  const deps: PipelineDeps = {
    db: database.db,
    storage,
    providers: createAnimaticProviders(),
    registry,
    planner: createPlanner({ log }),
    log,
    events,
    workRoot: join(dataDir, 'work'),
    limits: { provider: 2, local: 2 },
    budget: { dailyUsd: undefined },
    userConcurrentVideos: 1,
    ...(embeddings ? { embeddings } : {}),
  };
  const runner = createInlineRunner(deps);
  const service = createVideoService({
    db: database.db,
    storage,
    registry,
    planner: deps.planner,
    runner,
    events,
    providers: deps.providers,
    defaultVideoModel: 'tiny',
    log,
    ...(embeddings ? { embeddings } : {}),
    ...(options.assetSearch ? { assetSearch: options.assetSearch } : {}),
  });
  return {
    database,
    storage,
    storageRoot,
    service,
    async close() {
      await runner.close();
      events.close();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
