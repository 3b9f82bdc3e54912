import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError, UserError } from '../../../src/errors.js';
import type { GenerateClipRequest } from '../../../src/providers/types.js';
import { MODERATION_ERROR } from '../../../src/testing/fake-replicate/index.js';
import { makeImage } from '../../media/fixtures.js';
import { createHarness, type Harness, predictionRows } from './harness.js';

const TINY = 'test/tiny-video';

describe('failed predictions', () => {
  let h: Harness;
  let request: GenerateClipRequest;
  beforeAll(async () => {
    h = await createHarness();
    const frame = makeImage(join(h.dir, 'frame.png'), 320, 180, 'color=c=purple');
    request = { model: h.registry.get('tiny'), prompt: 'a purple door', firstFrame: frame, durationS: 2.5 };
  });
  beforeEach(() => {
    h.fake.faults.models = {};
  });
  afterAll(() => h?.close());

  const newPredictions = async (run: () => Promise<unknown>) => {
    const before = h.fake.predictions().length;
    const outcome = await run().catch((error: unknown) => error);
    return { outcome, created: h.fake.predictions().slice(before) };
  };

  it("turns a moderation failure into a UserError carrying the model's message, and does not retry it", async () => {
    h.fake.faults.models[TINY] = { moderation: {} };
    const { outcome, created } = await newPredictions(() =>
      h.providers().video.generateClip(request, h.ctx('mod.chunk.0.1.0')),
    );
    expect(outcome).toBeInstanceOf(UserError);
    expect(outcome).toMatchObject({ code: 'content_rejected' });
    expect((outcome as Error).message).toContain(MODERATION_ERROR);
    expect(created).toHaveLength(1);
    const [row] = await predictionRows(h.database, 'mod.chunk.0.1.0');
    expect(row).toMatchObject({ status: 'failed', error_message: expect.stringContaining('E005') });
  });

  it("turns a 422 into a UserError with Replicate's detail; nothing is created or retried", async () => {
    h.fake.faults.models[TINY] = { invalidInput: { detail: 'prompt: String should have at most 2000 characters' } };
    const { outcome, created } = await newPredictions(() =>
      h.providers().video.generateClip(request, h.ctx('bad.chunk.0.1.0')),
    );
    expect(outcome).toMatchObject({ name: 'UserError', code: 'invalid_model_input' });
    expect((outcome as Error).message).toContain('at most 2000 characters');
    expect(created).toHaveLength(0);
    const creates = h.fake.requests().filter((r) => r.status === 422);
    expect(creates).toHaveLength(1);
  });

  it('retries an ordinary failure once, then falls back to text-to-video without the image', async () => {
    h.fake.faults.models[TINY] = { fail: { error: 'CUDA out of memory', withImageOnly: true } };
    const { outcome, created } = await newPredictions(() =>
      h.providers().video.generateClip(request, h.ctx('i2v.chunk.0.1.0')),
    );
    expect(outcome).toMatchObject({ provider: 'replicate', model: 'tiny' });
    expect(created.map((p) => p.status)).toEqual(['failed', 'failed', 'succeeded']);
    expect(created.slice(0, 2).every((p) => typeof p.input.image === 'string')).toBe(true);
    expect(created[2]?.input).not.toHaveProperty('image');
    expect(created[2]?.input).toMatchObject({ prompt: 'a purple door' });
    const rows = await predictionRows(h.database, 'i2v.chunk.0.1.0');
    expect(rows.map((row) => row.status)).toEqual(['failed', 'failed', 'succeeded']);
  });

  it('cancels a prediction that outlives its timeout and fails clearly, without retrying', async () => {
    h.fake.faults.models[TINY] = { latencyMs: 3000 };
    const { outcome, created } = await newPredictions(() =>
      h.providers({ timeouts: { video: 300 } }).video.generateClip(request, h.ctx('slow.chunk.0.1.0')),
    );
    expect(outcome).toBeInstanceOf(ProviderError);
    expect(outcome).toMatchObject({ retryable: false });
    expect((outcome as Error).message).toMatch(/did not finish within 0\.3 s.*canceled/);
    expect(created).toHaveLength(1);
    expect(h.fake.predictions().find((p) => p.id === created[0]?.id)?.status).toBe('canceled');
    const [row] = await predictionRows(h.database, 'slow.chunk.0.1.0');
    expect(row?.status).toBe('canceled');
  });
});
