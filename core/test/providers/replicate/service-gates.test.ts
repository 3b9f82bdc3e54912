import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../../src/service/types.js';
import { type FakeReplicate, startFakeReplicate } from '../../../src/testing/fake-replicate/index.js';
import { type TestStack, testRegistry } from '../../helpers/pipeline.js';
import { createReplicateStack } from './harness.js';

const owner: Owner = { platform: 'slack', platformUserId: 'U-gates' };

describe('paid work on the fake Replicate behind the service', () => {
  let stack: TestStack;
  let fake: FakeReplicate;
  beforeAll(async () => {
    fake = await startFakeReplicate({ models: await testRegistry(), stepLatencyMs: 20 });
    stack = await createReplicateStack(fake, { approvalThresholdUsd: 0.05, dailyBudgetUsd: 3 });
  });
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('creates zero predictions before approve, then the run pays for exactly what it planned', async () => {
    const estimate = await stack.service.estimate({
      prompt: 'sparkling water, summer ad',
      durationS: 5,
      model: 'tiny',
    });
    expect(estimate.chargedUsd).toBeGreaterThan(0.05);
    const created = await stack.service.create(owner, {
      prompt: 'sparkling water, summer ad',
      durationS: 5,
      model: 'tiny',
    });
    expect(created.status).toBe('awaiting_approval');
    await stack.service.settled(created.videoId);
    expect(fake.predictions()).toHaveLength(0);

    await stack.service.approve(owner, created.videoId);
    await stack.service.settled(created.videoId);
    const view = await stack.service.get(owner, created.videoId);
    expect(view.status).toBe('ready');
    expect(view.provider).toBe('replicate');
    expect(fake.predictions()).toHaveLength(2 + 1 + 1);
    expect(view.cost.actualUsd).toBeCloseTo(fake.billedUsd(), 6);
  });

  it('makes character references through Replicate without a video, ledgered and stored as assets', async () => {
    const before = fake.predictions().length;
    const refs = await stack.service.createCharacterReferences(owner, {
      description: 'a tall astronaut in an orange suit',
      count: 2,
    });
    expect(refs).toHaveLength(2);
    expect(fake.predictions().length - before).toBe(1);
    const rows = await stack.database.db.selectFrom('ledger').selectAll().where('video_id', 'is', null).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actual_usd).toBeGreaterThan(0);
  });

  it('refuses a video that does not fit the daily budget before creating anything at Replicate', async () => {
    const before = fake.predictions().length;
    await expect(
      stack.service.create(owner, { prompt: 'an epic saga', durationS: 120, model: 'veo3' }),
    ).rejects.toMatchObject({
      code: 'budget_exceeded',
    });
    expect(fake.predictions()).toHaveLength(before);
  });
});
