import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VideoRow } from '../../src/db/schema.js';
import { upsertUser } from '../../src/db/users.js';
import { insertVideo } from '../../src/db/videos.js';
import { createLogger } from '../../src/log.js';
import type { StepContext } from '../../src/pipeline/context.js';
import { reserveGeneration } from '../../src/pipeline/ledger.js';
import { createAnimaticProviders } from '../../src/providers/animatic/index.js';
import { testRegistry } from '../helpers/pipeline.js';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres.js';

describe('the daily budget', () => {
  let database: TestDatabase;
  let video: VideoRow;
  beforeAll(async () => {
    database = await createTestDatabase();
    const user = await upsertUser(database.db, { platform: 'slack', platformUserId: 'U-budget' });
    ({ video } = await insertVideo(database.db, {
      user_id: user.id,
      mode: 'ad',
      prompt: 'budget test',
      duration_s: 15,
      model_key: 'wan',
      provider: 'replicate',
    }));
  });
  afterAll(() => database?.drop());

  it('is never exceeded by 20 concurrent paid reservations', async () => {
    const registry = await testRegistry();
    const wan = registry.get('wan', 'video');
    const paid = { ...createAnimaticProviders(), name: 'replicate' as const };
    const ctxFor = (i: number): StepContext => ({
      deps: {
        db: database.db,
        providers: paid,
        budget: { dailyUsd: 4 },
      } as unknown as StepContext['deps'],
      video,
      files: undefined as unknown as StepContext['files'],
      signal: new AbortController().signal,
      stepKey: `${video.id}.chunk.0.1.${i}.${randomUUID()}`,
      log: createLogger({ level: 'silent' }),
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        reserveGeneration(ctxFor(i), { kind: 'video', model: wan, outputSeconds: 5.0625 }),
      ),
    );
    const perCall = 5.0625 * 0.09;
    const granted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(granted).toBe(Math.floor(4 / perCall));
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'budget_exceeded' });
    const { total } = await database.db
      .selectFrom('ledger')
      .select((eb) => eb.fn.sum<number>('estimated_usd').as('total'))
      .where('user_id', '=', video.user_id)
      .executeTakeFirstOrThrow();
    expect(Number(total)).toBeLessThanOrEqual(4);
  });

  it('reserves once per step: a re-run step does not count twice', async () => {
    const registry = await testRegistry();
    const stepKey = `${video.id}.music.rerun`;
    const ctx = {
      deps: {
        db: database.db,
        providers: { ...createAnimaticProviders(), name: 'replicate' },
        budget: { dailyUsd: 100 },
      },
      video,
      stepKey,
    } as unknown as StepContext;
    const first = await reserveGeneration(ctx, {
      kind: 'music',
      model: registry.get('musicgen', 'music'),
      outputSeconds: 20,
    });
    const again = await reserveGeneration(ctx, {
      kind: 'music',
      model: registry.get('musicgen', 'music'),
      outputSeconds: 20,
    });
    expect(again.id).toBe(first.id);
  });
});
