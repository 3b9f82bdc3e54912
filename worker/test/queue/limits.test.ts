import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnimaticProviders } from '../../../core/src/providers/animatic/index.js';
import type { Owner } from '../../../core/src/service/types.js';
import { type FakeReplicate, startFakeReplicate } from '../../../core/src/testing/fake-replicate/index.js';
import { createTestStack, type TestStack, testRegistry } from '../../../core/test/helpers/pipeline.js';
import { type ClipCall, peakInFlight, recordingProviders } from '../../../core/test/pipeline/recording-provider.js';
import { createReplicateStack } from '../../../core/test/providers/replicate/harness.js';

const owner: Owner = { platform: 'cli', platformUserId: 'limits' };

describe('PROVIDER_CONCURRENCY across workers', () => {
  let stack: TestStack;
  let calls: ClipCall[];
  beforeAll(async () => {
    const slow = recordingProviders(createAnimaticProviders(), { delayMs: 250 });
    calls = slow.clipCalls;
    stack = await createTestStack({ runner: 'queue', providers: slow.providers, providerLimit: 2 });
    await stack.queue?.startWorker({ runnerId: 'second-worker' });
  });
  afterAll(() => stack?.close());

  it('caps the generations in flight for every worker together, while both take provider steps', async () => {
    const created = await stack.service.create(owner, { prompt: 'lanterns on a river', durationS: 20, model: 'tiny' });
    await stack.service.settled(created.videoId);
    expect((await stack.service.get(owner, created.videoId)).status).toBe('ready');
    expect(calls.length).toBeGreaterThan(4);
    expect(peakInFlight(calls)).toBeLessThanOrEqual(2);
    expect(peakInFlight(calls)).toBe(2);
    const runners = await stack.database.db
      .selectFrom('steps')
      .select('runner_id')
      .distinct()
      .where('name', '=', 'chunk')
      .execute();
    expect(runners.map((row) => row.runner_id)).toContain('second-worker');
    expect(runners.length).toBe(2);
  });
});

describe('a 429 from Replicate', () => {
  let fake: FakeReplicate;
  let stack: TestStack;
  beforeAll(async () => {
    const registry = await testRegistry();
    fake = await startFakeReplicate({ models: registry, stepLatencyMs: 20 });
    stack = await createReplicateStack(fake, { runner: 'queue', providerLimit: 1 }, { rateLimits: 'raise' });
    await stack.queue?.startWorker({ runnerId: 'second-worker' });
  });
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('pauses the provider pool of every worker for its Retry-After, then carries on paying each call once', async () => {
    fake.faults.global.throttle = { count: 1, retryAfterS: 2 };
    const created = await stack.service.create(owner, { prompt: 'a bicycle at dusk', durationS: 5, model: 'tiny' });
    let pausedForMs = 0;
    for (let i = 0; i < 400 && pausedForMs <= 0; i++) {
      if (fake.requests().some((request) => request.status === 429)) {
        pausedForMs = await (stack.queue?.runtime.provider.getRateLimitTtl() ?? 0);
      }
      if (pausedForMs <= 0) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(pausedForMs, 'the pool is paused in Redis, for every worker').toBeGreaterThan(1000);
    await stack.service.settled(created.videoId);
    expect((await stack.service.get(owner, created.videoId)).status).toBe('ready');
    const creates = fake
      .requests()
      .filter((request) => request.method === 'POST' && /\/predictions$/.test(request.path));
    const throttled = creates.findIndex((request) => request.status === 429);
    expect(throttled).toBeGreaterThanOrEqual(0);
    const next = creates[throttled + 1];
    expect(next).toBeDefined();
    expect((next?.at ?? 0) - (creates[throttled]?.at ?? 0)).toBeGreaterThanOrEqual(1900);
    const rows = await stack.database.db.selectFrom('predictions').select('external_id').execute();
    expect(fake.predictions()).toHaveLength(rows.length);
    const steps = await stack.database.db.selectFrom('steps').select(['key', 'attempts']).execute();
    expect(
      steps.every((step) => step.attempts === 1),
      'the 429 did not count as an attempt',
    ).toBe(true);
  });
});
