import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../../core/src/service/types.js';
import { type Cluster, startCluster } from '../helpers/cluster.js';
import { freePort } from '../helpers/spawn-worker.js';

const owner: Owner = { platform: 'cli', platformUserId: 'redis-restart' };

/** A Redis server of the test's own on a spare port, with AOF on (as docker compose runs it). */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const redis = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 100; i++) {
    const answered = await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      (error: { cause?: { code?: string } }) => error.cause?.code !== 'ECONNREFUSED',
    );
    if (answered) return redis;
    await sleep(50);
  }
  throw new Error('redis-server did not start');
}

describe('a Redis restarted mid-video', () => {
  let cluster: Cluster;
  let redis: ChildProcess;
  let port: number;
  let dir: string;
  beforeAll(async () => {
    port = await freePort();
    dir = await mkdtemp(join(tmpdir(), 'reelsmith-redis-'));
    redis = await startRedis(port, dir);
    cluster = await startCluster({ workers: 1, redisUrl: `redis://127.0.0.1:${port}` });
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    redis?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('costs the video nothing: the worker reconnects, recovery re-adds what Redis lost, and it completes', async () => {
    const { service } = cluster.front;
    const created = await service.create(owner, { prompt: 'a tram through autumn streets', durationS: 20 });
    for (let i = 0; i < 200; i++) {
      const started = await cluster.database.db
        .selectFrom('steps')
        .select('key')
        .where('name', '=', 'chunk')
        .where('status', '!=', 'queued')
        .executeTakeFirst();
      if (started) break;
      await sleep(50);
    }
    redis.kill('SIGKILL');
    await sleep(1500);
    redis = await startRedis(port, dir);
    await service.settled(created.videoId);
    const view = await service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    expect(view.take?.durationS).toBeCloseTo(20, 1);
    const steps = await cluster.database.db.selectFrom('steps').select(['status']).execute();
    expect(steps.every((step) => step.status === 'succeeded')).toBe(true);
    expect(cluster.workers[0]?.output()).toMatch(/worker ready/);
  });
});
