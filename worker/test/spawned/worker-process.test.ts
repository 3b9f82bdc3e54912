import { type ChildProcess, spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoEvent } from '../../../core/src/events/types.js';
import type { Owner } from '../../../core/src/service/types.js';
import { type Cluster, startCluster } from '../helpers/cluster.js';
import { freePort, runWorkerToExit } from '../helpers/spawn-worker.js';

const owner: Owner = { platform: 'cli', platformUserId: 'spawned-owner' };

/** Step rows of a video's works. */
async function stepsOf(cluster: Cluster, videoId: string) {
  return cluster.database.db
    .selectFrom('steps')
    .innerJoin('works', 'works.id', 'steps.work_id')
    .select(['steps.key', 'steps.name', 'steps.status', 'steps.runner_id', 'steps.started_at', 'steps.attempts'])
    .where('works.video_id', '=', videoId)
    .execute();
}

describe('npm run worker processes on the animatic', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster({ workers: 2, env: { WORKER_CONCURRENCY: '1', WORKER_LOCAL_CONCURRENCY: '1' } });
  }, 120_000);
  afterAll(() => cluster?.close());

  it('answer /healthz and /readyz', async () => {
    for (const worker of cluster.workers) {
      expect((await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${worker.healthPort}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ ok: true, problems: [] });
    }
  });

  it('run a whole video submitted by another process, sharing its steps between them', async () => {
    const { service } = cluster.front;
    const created = await service.create(owner, { prompt: 'a lighthouse at dawn, calm sea', durationS: 10 });
    await service.settled(created.videoId);
    const view = await service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    expect(view.final).not.toBeNull();
    expect(view.take?.durationS).toBeCloseTo(10, 1);
    const steps = await stepsOf(cluster, created.videoId);
    expect(steps.every((step) => step.status === 'succeeded')).toBe(true);
    const pids = new Set(steps.map((step) => Number(step.runner_id?.split(':')[1])));
    expect([...pids].sort()).toEqual(cluster.workers.map((worker) => worker.pid).sort());
  });

  it("makes a user's second video wait in line, tells its position, and starts it when the first is done", async () => {
    const { service } = cluster.front;
    const first = await service.create(owner, { prompt: 'a red kite over dunes', durationS: 10 });
    const second = await service.create(owner, { prompt: 'a blue kite over snow', durationS: 5 });
    expect(second.status).toBe('queued');
    expect(second.queuePosition).toBe(1);
    expect(second.message).toMatch(/1st in line/);
    const events: VideoEvent[] = [];
    const following = (async () => {
      for await (const event of service.events(second.videoId)) events.push(event);
    })();
    await service.settled(second.videoId);
    await following;
    expect((await service.get(owner, first.videoId)).status).toBe('ready');
    expect((await service.get(owner, second.videoId)).status).toBe('ready');
    const works = await cluster.database.db
      .selectFrom('works')
      .select(['video_id', 'started_at', 'finished_at'])
      .where('video_id', 'in', [first.videoId, second.videoId])
      .execute();
    const a = works.find((work) => work.video_id === first.videoId);
    const b = works.find((work) => work.video_id === second.videoId);
    expect(new Date(b?.started_at as Date).getTime()).toBeGreaterThanOrEqual(
      new Date(a?.finished_at as Date).getTime(),
    );
    expect(events.at(-1)).toMatchObject({ kind: 'video_ready' });
  });

  it('stop a video cancelled from another process: no step starts after, partial files gone', async () => {
    const { service } = cluster.front;
    const created = await service.create(owner, { prompt: 'a paper boat in rain', durationS: 20 });
    for (let i = 0; i < 200; i++) {
      const steps = await stepsOf(cluster, created.videoId);
      if (steps.some((step) => step.name === 'chunk' && step.status !== 'queued')) break;
      await sleep(50);
    }
    const cancelled = await service.cancel(owner, created.videoId);
    const at = Date.now();
    expect(cancelled.status).toBe('cancelled');
    await sleep(2500);
    const steps = await stepsOf(cluster, created.videoId);
    expect(steps.filter((step) => step.started_at && new Date(step.started_at).getTime() > at + 200)).toEqual([]);
    const video = await cluster.database.db
      .selectFrom('videos')
      .select(['user_id', 'status'])
      .where('id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    expect(video.status).toBe('cancelled');
    const folder = join(cluster.dataDir, 'storage', video.user_id, 'videos', created.videoId);
    expect(await readdir(folder).catch(() => [])).toEqual([]);
    const { front } = cluster;
    const view = await front.service.get(owner, created.videoId);
    expect(view.final).toBeNull();
    expect(view.scenes.every((scene) => scene.clip === null)).toBe(true);
    const work = await cluster.database.db
      .selectFrom('works')
      .select('status')
      .where('video_id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    expect(work.status).toBe('cancelled');
  });

  it('stops on SIGTERM within its bound, saying so', async () => {
    const worker = cluster.workers[1];
    const code = await worker?.stop();
    expect(code).toBe(0);
    expect(worker?.output()).toMatch(/worker stopped/);
  });
});

describe('npm run worker refuses to start', () => {
  it('without DATABASE_URL, saying what to set', async () => {
    const { code, output } = await runWorkerToExit({ REDIS_URL: 'redis://127.0.0.1:6379', DATABASE_URL: '' });
    expect(code).toBe(2);
    expect(output.trim().split('\n').at(-1)).toMatch(/^reelsmith-worker: DATABASE_URL is not set; .*PGlite/);
  });

  it('when Redis cannot be reached, naming it', async () => {
    const { code, output } = await runWorkerToExit({
      REDIS_URL: 'redis://:secret-pass@127.0.0.1:1',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/reelsmith-worker: Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/);
    expect(output).not.toContain('secret-pass');
  });

  it('on a Redis that evicts keys (allkeys-lru)', async () => {
    const port = await freePort();
    const redis: ChildProcess = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--maxmemory-policy',
        'allkeys-lru',
      ],
      { stdio: 'ignore' },
    );
    try {
      await sleep(300);
      const { code, output } = await runWorkerToExit({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      });
      expect(code).toBe(1);
      expect(output).toMatch(/maxmemory-policy allkeys-lru; .*Set it to noeviction/);
    } finally {
      redis.kill('SIGKILL');
    }
  });
});
