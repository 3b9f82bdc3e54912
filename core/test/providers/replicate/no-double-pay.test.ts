import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerateClipRequest } from '../../../src/providers/types.js';
import { makeImage } from '../../media/fixtures.js';
import { createHarness, type Harness, predictionRows, until } from './harness.js';

const TINY = 'test/tiny-video';

describe('a paid prediction is never made twice', () => {
  let h: Harness;
  let request: GenerateClipRequest;
  let step = 0;
  const nextStep = () => `${h.videoId}.chunk.0.1.${step++}`;
  const creates = () => h.fake.requests().filter((r) => r.method === 'POST' && r.path.endsWith('/predictions'));

  beforeAll(async () => {
    h = await createHarness();
    const frame = makeImage(join(h.dir, 'frame.png'), 320, 180, 'color=c=teal');
    request = { model: h.registry.get('tiny'), prompt: 'a teal sea', firstFrame: frame, durationS: 2.5 };
  });
  beforeEach(() => {
    h.fake.faults.models = {};
    h.fake.faults.outputTtlMs = 3_600_000;
  });
  afterAll(() => h?.close());

  it('resumes a step that died between the create and saving its id, without a second create', async () => {
    const key = nextStep();
    const before = h.fake.predictions().length;
    h.fake.faults.models[TINY] = { createResponseDelayMs: 400 };
    const crash = new AbortController();
    const first = h.providers().video.generateClip(request, h.ctx(key, crash.signal));
    await until(() => h.fake.predictions().length === before + 1);
    crash.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    const [intent] = await predictionRows(h.database, key);
    expect(intent).toMatchObject({ status: 'intent', external_id: null });

    h.fake.faults.models = {};
    const clip = await h.providers().video.generateClip(request, h.ctx(key));
    expect(h.fake.predictions()).toHaveLength(before + 1);
    const rows = await predictionRows(h.database, key);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'succeeded', external_id: h.fake.predictions()[before]?.id });
    expect(clip.predictionId).toBe(rows[0]?.id);
  });

  it('adopts its own prediction when saving the external id failed once (real Postgres trigger)', async () => {
    const key = nextStep();
    const before = h.fake.predictions().length;
    await failNextAttach(h);
    const first = await h
      .providers()
      .video.generateClip(request, h.ctx(key))
      .catch((error: unknown) => error);
    expect(String(first)).toContain('simulated crash while saving the external id');
    expect(h.fake.predictions()).toHaveLength(before + 1);
    expect((await predictionRows(h.database, key))[0]).toMatchObject({ status: 'intent', external_id: null });

    await h.providers().video.generateClip(request, h.ctx(key));
    expect(h.fake.predictions()).toHaveLength(before + 1);
    const rows = await predictionRows(h.database, key);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'succeeded', external_id: h.fake.predictions()[before]?.id });
  });

  it('adopts the prediction whose create answer was lost to a connection reset', async () => {
    const key = nextStep();
    const before = h.fake.predictions().length;
    h.fake.faults.models[TINY] = { resetAfterCreate: 1 };
    const clip = await h.providers().video.generateClip(request, h.ctx(key));
    expect(h.fake.predictions()).toHaveLength(before + 1);
    const [row] = await predictionRows(h.database, key);
    expect(row).toMatchObject({ status: 'succeeded', external_id: h.fake.predictions()[before]?.id });
    expect(clip.durationS).toBeCloseTo(2.5, 1);
    expect(h.fake.requests().some((r) => r.method === 'GET' && r.path === '/v1/predictions')).toBe(true);
  });

  it('creates again after a 5xx that made nothing, once it has checked that nothing was made', async () => {
    const key = nextStep();
    const before = h.fake.predictions().length;
    const createsBefore = creates().length;
    h.fake.faults.models[TINY] = { serverErrors: { count: 2, status: 502 } };
    await h.providers().video.generateClip(request, h.ctx(key));
    expect(h.fake.predictions()).toHaveLength(before + 1);
    expect(
      creates()
        .slice(createsBefore)
        .map((r) => r.status),
    ).toEqual([502, 502, 201]);
  });

  it('rides out a burst of 503s on every endpoint without paying twice', async () => {
    const key = nextStep();
    const before = h.fake.predictions().length;
    h.fake.faults.global.serverErrors = { count: 4, status: 503 };
    const clip = await h.providers().video.generateClip(request, h.ctx(key));
    expect(h.fake.faults.global.serverErrors.count).toBe(0);
    expect(h.fake.predictions()).toHaveLength(before + 1);
    expect(clip.durationS).toBeCloseTo(2.5, 1);
  });

  it('resumes a prediction still running when its worker stopped, by its stored id', async () => {
    const key = nextStep();
    const before = h.fake.predictions().length;
    h.fake.faults.models[TINY] = { latencyMs: 300 };
    const stop = new AbortController();
    const first = h.providers().video.generateClip(request, h.ctx(key, stop.signal));
    let attached = false;
    const watch = setInterval(async () => {
      attached = Boolean((await predictionRows(h.database, key))[0]?.external_id);
    }, 10);
    await until(() => attached).finally(() => clearInterval(watch));
    stop.abort();
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    const clip = await h.providers().video.generateClip(request, h.ctx(key));
    expect(h.fake.predictions()).toHaveLength(before + 1);
    expect(h.fake.predictions()[before]?.status).toBe('succeeded');
    expect(clip.durationS).toBeCloseTo(2.5, 1);
  });

  it('serves a re-run from storage after Replicate deleted the output, paying nothing', async () => {
    const key = nextStep();
    const clip = await h.providers().video.generateClip(request, h.ctx(key));
    const original = await readFile(clip.path);
    const prediction = h.fake.predictions().at(-1);
    const count = h.fake.predictions().length;
    const apiCalls = h.fake.requests().length;

    h.fake.faults.outputTtlMs = 0;
    const outputUrl = String(prediction?.output);
    expect((await fetch(outputUrl)).status).toBe(404);

    const again = await h.providers().video.generateClip(request, h.ctx(key));
    expect(await readFile(again.path)).toEqual(original);
    expect(again).toMatchObject({ predictionId: clip.predictionId, costUsd: clip.costUsd });
    expect(h.fake.predictions()).toHaveLength(count);
    expect(h.fake.requests()).toHaveLength(apiCalls);
  });
});

/** Makes the next UPDATE that sets a prediction's external id fail (a sequence is not rolled back with it). */
async function failNextAttach(h: Harness): Promise<void> {
  await sql`create sequence if not exists attach_calls`.execute(h.database.db);
  await sql`select setval('attach_calls', 1, false)`.execute(h.database.db);
  await sql`
    create or replace function fail_first_attach() returns trigger language plpgsql as $$
    begin
      if new.external_id is not null and old.external_id is null and nextval('attach_calls') = 1 then
        raise exception 'simulated crash while saving the external id';
      end if;
      return new;
    end $$`.execute(h.database.db);
  await sql`drop trigger if exists fail_first_attach on predictions`.execute(h.database.db);
  await sql`create trigger fail_first_attach before update on predictions
    for each row execute function fail_first_attach()`.execute(h.database.db);
}
