import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createAnimaticProviders } from '../../../core/src/providers/animatic/index.js';
import type { Owner } from '../../../core/src/service/types.js';
import { createTestStack, deleteKeys, type TestStack } from '../../../core/test/helpers/pipeline.js';
import { recordingProviders } from '../../../core/test/pipeline/recording-provider.js';

const owner: Owner = { platform: 'cli', platformUserId: 'recovery' };

async function waitForRunningChunk(stack: TestStack) {
  for (let i = 0; i < 400; i++) {
    const running = await stack.database.db
      .selectFrom('steps')
      .select(['key', 'runner_id'])
      .where('name', '=', 'chunk')
      .where('status', '=', 'running')
      .executeTakeFirst();
    if (running) return running;
    await sleep(10);
  }
  throw new Error('no chunk started');
}

describe('recovery from Postgres', () => {
  let stack: TestStack | undefined;
  afterEach(() => stack?.close());

  it('finishes a video after Redis lost every job of it while no worker ran', async () => {
    const slow = recordingProviders(createAnimaticProviders(), { delayMs: 300 });
    stack = await createTestStack({ runner: 'queue', providers: slow.providers, providerLimit: 1 });
    const queue = stack.queue;
    if (!queue) throw new Error('queue stack expected');
    const created = await stack.service.create(owner, { prompt: 'a fox in snow', durationS: 10, model: 'tiny' });
    await waitForRunningChunk(stack);
    await queue.worker.close();
    await deleteKeys(queue.runtime, queue.prefix);
    expect(await queue.runtime.provider.count()).toBe(0);
    await queue.startWorker({ runnerId: 'replacement' });
    await stack.service.settled(created.videoId);
    const view = await stack.service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    const chunks = await stack.database.db
      .selectFrom('steps')
      .select(['status', 'runner_id'])
      .where('name', '=', 'chunk')
      .execute();
    expect(chunks.every((step) => step.status === 'succeeded')).toBe(true);
    expect(chunks.some((step) => step.runner_id === 'replacement')).toBe(true);
  });

  it('hands a running job back at a bounded shutdown, and another worker finishes it at once', async () => {
    const slow = recordingProviders(createAnimaticProviders(), { delayMs: 3000 });
    stack = await createTestStack({ runner: 'queue', providers: slow.providers, providerLimit: 1 });
    const queue = stack.queue;
    if (!queue) throw new Error('queue stack expected');
    const created = await stack.service.create(owner, { prompt: 'a heron at dawn', durationS: 5, model: 'tiny' });
    const first = await waitForRunningChunk(stack);
    const second = await queue.startWorker({ runnerId: 'second', lockMs: 60_000 });
    const closing = Date.now();
    await queue.worker.close();
    expect(Date.now() - closing).toBeLessThan(3500);
    await stack.service.settled(created.videoId);
    expect((await stack.service.get(owner, created.videoId)).status).toBe('ready');
    const row = await stack.database.db
      .selectFrom('steps')
      .select(['status', 'attempts', 'runner_id'])
      .where('key', '=', first.key)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'succeeded', attempts: 1, runner_id: 'second' });
    const job = await queue.runtime.provider.getJob(first.key);
    expect(job?.stalledCounter, 'handed back, not left to stall until its lock expired').toBe(0);
    expect(job?.attemptsMade).toBe(1);
    await second.close();
  });
});
