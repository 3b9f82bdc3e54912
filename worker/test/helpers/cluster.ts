import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openReelsmith, type Reelsmith } from '../../../core/src/app.js';
import { loadConfig } from '../../../core/src/config.js';
import { createLogger } from '../../../core/src/log.js';
import { TEST_REDIS_URL, testPrefix, testRegistryYaml } from '../../../core/test/helpers/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../../../core/test/helpers/postgres.js';
import { type SpawnedWorker, spawnWorker } from './spawn-worker.js';

export interface Cluster {
  database: TestDatabase;
  dataDir: string;
  prefix: string;
  /** The environment every process of the cluster shares. */
  env: Record<string, string>;
  /** A front (what the CLI or a bot opens): the VideoService on the QueueRunner. */
  front: Reelsmith;
  workers: SpawnedWorker[];
  startWorker(extra?: Record<string, string>): Promise<SpawnedWorker>;
  close(): Promise<void>;
}

/**
 * A deployment in miniature: a fresh Postgres database, a data folder (local storage shared by
 * every process), a Redis prefix of its own, the `tiny` test model registry, `workers` spawned
 * `npm run worker` processes, and a front in this process.
 */
export async function startCluster(
  options: { workers?: number; env?: Record<string, string>; redisUrl?: string } = {},
): Promise<Cluster> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-cluster-'));
  const registryFile = join(dataDir, 'models.test.yaml');
  await writeFile(registryFile, await testRegistryYaml());
  const prefix = testPrefix();
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    DATA_DIR: dataDir,
    MODEL_REGISTRY_FILE: registryFile,
    DEFAULT_VIDEO_MODEL: 'tiny',
    WORKER_LOCK_MS: '2000',
    WORKER_SHUTDOWN_MS: '3000',
    WORKER_RECOVERY_S: '2',
    REPLICATE_API_TOKEN: '',
    ...options.env,
  };
  const front = await openReelsmith(loadConfig(env), { log: createLogger({ level: 'silent' }) });
  const workers: SpawnedWorker[] = [];
  const cluster: Cluster = {
    database,
    dataDir,
    prefix,
    env,
    front,
    workers,
    async startWorker(extra = {}) {
      const worker = await spawnWorker({ ...env, ...extra });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.kill9()));
      await front.close();
      const redis = new Redis(env.REDIS_URL as string);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      redis.disconnect();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(Array.from({ length: options.workers ?? 0 }, () => cluster.startWorker()));
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return cluster;
}
