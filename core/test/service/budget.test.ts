import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertLedgerEntry } from '../../src/db/ledger.js';
import type { VideoRow } from '../../src/db/schema.js';
import { upsertUser } from '../../src/db/users.js';
import { insertVideo } from '../../src/db/videos.js';
import { type GenerationPayer, reserveGeneration } from '../../src/ledger/generation.js';
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
    const payerFor = (i: number): GenerationPayer => ({
      db: database.db,
      userId: video.user_id,
      videoId: video.id,
      stepKey: `${video.id}.chunk.0.1.${i}.${randomUUID()}`,
      provider: 'replicate',
      dailyBudgetUsd: 4,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        reserveGeneration(payerFor(i), { kind: 'video', model: wan, outputSeconds: 5.0625 }),
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
    const payer: GenerationPayer = {
      db: database.db,
      userId: video.user_id,
      videoId: video.id,
      stepKey,
      provider: 'replicate',
      dailyBudgetUsd: 100,
    };
    const reservation = { kind: 'music' as const, model: registry.get('musicgen', 'music'), outputSeconds: 20 };
    const first = await reserveGeneration(payer, reservation);
    const again = await reserveGeneration(payer, reservation);
    expect(again.id).toBe(first.id);
  });

  it('records one ledger row per step key even when two deliveries of one job reserve at the same instant', async () => {
    const registry = await testRegistry();
    const stepKey = `${video.id}.storyboard.concurrent`;
    const payer: GenerationPayer = {
      db: database.db,
      userId: video.user_id,
      videoId: video.id,
      stepKey,
      provider: 'replicate',
      dailyBudgetUsd: 100,
    };
    const reservation = { kind: 'image' as const, model: registry.get('flux-schnell', 'image'), images: 1 };
    const rows = await Promise.all(Array.from({ length: 8 }, () => reserveGeneration(payer, reservation)));
    expect(new Set(rows.map((row) => row.id)).size).toBe(1);
    const again = await insertLedgerEntry(database.db, {
      user_id: video.user_id,
      video_id: video.id,
      step_key: stepKey,
      provider: 'replicate',
      model_key: 'flux-schnell',
      kind: 'image',
      unit: 'run',
      quantity: 1,
      estimated_usd: 99,
    });
    expect(again.id).toBe(rows[0]?.id);
    const stored = await database.db.selectFrom('ledger').selectAll().where('step_key', '=', stepKey).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.estimated_usd).not.toBe(99);
  });
});
