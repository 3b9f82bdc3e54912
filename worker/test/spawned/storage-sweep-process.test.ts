import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../../core/src/service/types.js';
import { classifyKey } from '../../../core/src/storage/lifecycle/key-layout.js';
import { createLocalBlobStore } from '../../../core/src/storage/local.js';
import { type Cluster, startCluster } from '../helpers/cluster.js';
import { runWorkerToExit } from '../helpers/spawn-worker.js';

const owner: Owner = { platform: 'cli', platformUserId: 'spawned-sweep' };

describe('npm run worker on local storage', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ workers: 1, env: { KEEP_INTERMEDIATES_HOURS: '0' } });
  }, 120_000);
  afterAll(() => cluster?.close());

  it('removes a superseded version’s intermediates by itself, starting with a sweep at start', async () => {
    const { service } = cluster.front;
    const created = await service.create(owner, { prompt: 'a paper boat on a puddle', durationS: 5 });
    await service.settled(created.videoId);
    await service.regenerateScene(owner, created.videoId, 1);
    await service.settled(created.videoId);
    const row = await cluster.database.db
      .selectFrom('videos')
      .select('user_id')
      .where('id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    const storage = createLocalBlobStore({ rootDir: join(cluster.dataDir, 'storage') });
    const prefix = `${row.user_id}/videos/${created.videoId}/`;
    const superseded = async () =>
      (await storage.list(prefix)).filter((key) => {
        const layout = classifyKey(key);
        return (layout.kind === 'chunk' || layout.kind === 'chunk_last_frame') && layout.version === 1;
      });
    expect(await superseded()).toHaveLength(4);
    expect(cluster.workers[0]?.output()).toContain('"storageSweep":"every hour, KEEP_INTERMEDIATES_HOURS=0"');
    // The running worker swept at its start (nothing to remove then) and holds this hour: let a new one win.
    const redis = new Redis(cluster.env.REDIS_URL as string);
    await redis.del(`${cluster.prefix}:storage-sweep`);
    redis.disconnect();
    const fresh = await cluster.startWorker();
    for (let i = 0; i < 200 && (await superseded()).length > 0; i++) await sleep(100);
    expect(await superseded()).toEqual([]);
    expect(fresh.output()).toMatch(/storage sweep: removed intermediates/);
    expect((await storage.list(prefix)).some((key) => classifyKey(key).kind === 'final')).toBe(true);
  });
});

describe('npm run worker refuses to start', () => {
  it.each(['soon', '-3', '2.5'])('with KEEP_INTERMEDIATES_HOURS=%s, naming the variable', async (value) => {
    const { code, output } = await runWorkerToExit({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      KEEP_INTERMEDIATES_HOURS: value,
    });
    expect(code).toBe(2);
    expect(output).toMatch(
      /reelsmith-worker: Invalid configuration .*\n\s+KEEP_INTERMEDIATES_HOURS: must be a whole number/,
    );
  });
});
