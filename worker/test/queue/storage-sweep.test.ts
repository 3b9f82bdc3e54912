import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../../core/src/service/types.js';
import { classifyKey } from '../../../core/src/storage/lifecycle/key-layout.js';
import { createTestStack, type TestStack } from '../../../core/test/helpers/pipeline.js';
import type { ReelsmithWorker } from '../../src/create-worker.js';

const owner: Owner = { platform: 'cli', platformUserId: 'sweeping-workers' };

describe('the workers’ storage sweep', () => {
  let stack: TestStack;
  let prefix: string;
  const lockKey = () => `${stack.queue?.prefix}:storage-sweep`;
  const supersededChunks = async () =>
    (await stack.storage.list(prefix)).filter((key) => {
      const layout = classifyKey(key);
      return (layout.kind === 'chunk' || layout.kind === 'chunk_last_frame') && layout.version === 1;
    });
  const start = (keepIntermediatesHours: number, runnerId: string): Promise<ReelsmithWorker> => {
    const queue = stack.queue;
    if (!queue) throw new Error('queue stack expected');
    return queue.startWorker({ runnerId, storageSweep: { keepIntermediatesHours, intervalMs: 3_600_000 } });
  };

  beforeAll(async () => {
    stack = await createTestStack({ runner: 'queue' });
    const created = await stack.service.create(owner, { prompt: 'a sailboat at dusk', durationS: 5, model: 'tiny' });
    await stack.service.settled(created.videoId);
    await stack.service.regenerateScene(owner, created.videoId, 1);
    await stack.service.settled(created.videoId);
    const row = await stack.database.db
      .selectFrom('videos')
      .select('user_id')
      .where('id', '=', created.videoId)
      .executeTakeFirstOrThrow();
    prefix = `${row.user_id}/videos/${created.videoId}/`;
  }, 120_000);
  afterAll(() => stack?.close());

  it('is off unless asked for, and keeps what is younger than KEEP_INTERMEDIATES_HOURS', async () => {
    expect(await stack.queue?.worker.sweepStorage()).toBeUndefined();
    const patient = await start(24, 'patient');
    // Whether its first offer (at start) is still running or done, with the lock gone this sweep runs.
    await stack.queue?.runtime.redis.del(lockKey());
    const report = await patient.sweepStorage();
    expect(report).toMatchObject({ objects: 0, dryRun: false });
    expect(await supersededChunks()).toHaveLength(4);
  });

  it('runs on one worker of several per interval, the first offer at start', async () => {
    await stack.queue?.runtime.redis.del(lockKey());
    const [eager, keen] = await Promise.all([start(0, 'eager'), start(0, 'keen')]);
    for (let i = 0; i < 200 && (await supersededChunks()).length > 0; i++) await sleep(50);
    expect(await supersededChunks()).toEqual([]);
    const winner = await stack.queue?.runtime.redis.get(lockKey());
    expect(['eager', 'keen']).toContain(winner);
    await sleep(300); // both first offers settle (the winner's has removed the files; it only has to return)
    await stack.queue?.runtime.redis.del(lockKey());
    const reports = await Promise.all([eager.sweepStorage(), keen.sweepStorage()]);
    expect(reports.filter((report) => report !== undefined)).toEqual([expect.objectContaining({ objects: 0 })]);
    expect(await Promise.all([eager.sweepStorage(), keen.sweepStorage()])).toEqual([undefined, undefined]);
  });
});
