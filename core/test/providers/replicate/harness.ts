import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../src/log.js';
import type { ModelRegistry } from '../../../src/models/registry.js';
import {
  createReplicateProviders,
  type ReplicateProviders,
  type ReplicateProvidersOptions,
} from '../../../src/providers/replicate/index.js';
import type { ProviderCallContext } from '../../../src/providers/types.js';
import type { BlobStore } from '../../../src/storage/blob-store.js';
import { createLocalBlobStore } from '../../../src/storage/local.js';
import { type FakeReplicate, startFakeReplicate } from '../../../src/testing/fake-replicate/index.js';
import { createUser, createVideo } from '../../helpers/db-fixtures.js';
import { createTestStack, type TestStack, type TestStackOptions, testRegistry } from '../../helpers/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/postgres.js';

/** The shipped registry plus the `tiny` test model (shared with the pipeline tests). */
export const replicateTestRegistry = testRegistry;

export const FAST_OPTIONS = {
  pollIntervalMs: 25,
  retry: { baseDelayMs: 50, maxDelayMs: 400 },
} satisfies Partial<ReplicateProvidersOptions>;

export interface Harness {
  fake: FakeReplicate;
  database: TestDatabase;
  storage: BlobStore;
  registry: ModelRegistry;
  dir: string;
  userId: string;
  videoId: string;
  /** Providers on the fake (fresh each call, as a restarted worker would build them). */
  providers(overrides?: Partial<ReplicateProvidersOptions>): ReplicateProviders;
  /** A call context for `stepKey` with its own work dir. */
  ctx(stepKey: string, signal?: AbortSignal): ProviderCallContext;
  close(): Promise<void>;
}

/** A fake Replicate, a fresh Postgres database with one user and video, and local storage. */
export async function createHarness(): Promise<Harness> {
  const registry = await replicateTestRegistry();
  const fake = await startFakeReplicate({ models: registry, stepLatencyMs: 20 });
  const database = await createTestDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'replicate-test-'));
  const storage = createLocalBlobStore({ rootDir: join(dir, 'storage') });
  const user = await createUser(database.db);
  const video = await createVideo(database.db, user.id, { model_key: 'tiny', provider: 'replicate' });
  let works = 0;
  return {
    fake,
    database,
    storage,
    registry,
    dir,
    userId: user.id,
    videoId: video.id,
    providers: (overrides = {}) =>
      createReplicateProviders({
        db: database.db,
        storage,
        registry,
        apiToken: fake.apiToken,
        baseUrl: fake.url,
        log: createLogger({ level: 'silent' }),
        ...FAST_OPTIONS,
        ...overrides,
      }),
    ctx(stepKey, signal = new AbortController().signal) {
      works += 1;
      return { signal, stepKey, workDir: join(dir, `work-${works}`), videoId: video.id, userId: user.id };
    },
    async close() {
      await fake.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The prediction rows of a step, oldest first. */
export async function predictionRows(database: TestDatabase, stepKey: string) {
  return database.db
    .selectFrom('predictions')
    .selectAll()
    .where('step_key', '=', stepKey)
    .orderBy('created_at', 'asc')
    .execute();
}

/** Resolves once `check` is true (polling every 5 ms), or rejects after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The whole service stack (fresh database, animatic-free) wired to Replicate providers that talk to `fake`. */
export function createReplicateStack(
  fake: FakeReplicate,
  options: Omit<TestStackOptions, 'providers'> = {},
  overrides: Partial<ReplicateProvidersOptions> = {},
): Promise<TestStack> {
  return createTestStack({
    ...options,
    providers: ({ db, storage, registry }) =>
      createReplicateProviders({
        db,
        storage,
        registry,
        apiToken: fake.apiToken,
        baseUrl: fake.url,
        log: createLogger({ level: 'silent' }),
        ...FAST_OPTIONS,
        ...overrides,
      }),
  });
}
