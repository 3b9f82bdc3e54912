import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUSIC_SURPLUS_S } from '../../../src/jobs/steps/music.js';
import { probe } from '../../../src/media/probe.js';
import { estimateVideoCost } from '../../../src/models/estimate.js';
import type { Owner, VideoView } from '../../../src/service/types.js';
import { type FakeReplicate, startFakeReplicate } from '../../../src/testing/fake-replicate/index.js';
import { type TestStack, testRegistry } from '../../helpers/pipeline.js';
import { createReplicateStack } from './harness.js';

const owner: Owner = { platform: 'cli', platformUserId: 'replicate-pipeline-test' };
const pathOf = (link: VideoView['final']) => (link && 'path' in link ? link.path : '');

describe('a 15 s ad generated through the pipeline on the fake Replicate', () => {
  let stack: TestStack;
  let fake: FakeReplicate;
  let view: VideoView;

  beforeAll(async () => {
    fake = await startFakeReplicate({ models: await testRegistry(), stepLatencyMs: 20 });
    stack = await createReplicateStack(fake);
    const created = await stack.service.create(owner, {
      prompt: 'A luxury gold wristwatch on black velvet, elegant product ad',
      durationS: 15,
      model: 'tiny',
    });
    await stack.service.settled(created.videoId);
    view = await stack.service.get(owner, created.videoId);
  });
  afterAll(async () => {
    await stack?.close();
    await fake?.close();
  });

  it('ends ready with a final video of the planned length at the model frame size', async () => {
    expect(view.status).toBe('ready');
    const info = await probe(pathOf(view.final));
    expect(Math.abs(info.durationS - 15)).toBeLessThanOrEqual(0.1);
    expect(info).toMatchObject({ width: 320, height: 180, videoCodec: 'h264', hasAudio: true });
  });

  it('paid for exactly one prediction per chunk, per storyboard image, and one for the music', () => {
    const chunks = view.scenes.reduce((sum, scene) => sum + Math.ceil(scene.durationS / 2.5 - 1e-9), 0);
    const predictions = fake.predictions();
    expect(predictions).toHaveLength(chunks + view.scenes.length + 1);
    expect(predictions.filter((p) => p.model === 'test/tiny-video')).toHaveLength(chunks);
    expect(predictions.filter((p) => p.model === 'black-forest-labs/flux-schnell')).toHaveLength(view.scenes.length);
    expect(predictions.filter((p) => p.model === 'meta/musicgen')).toHaveLength(1);
    expect(predictions.every((p) => p.status === 'succeeded')).toBe(true);
  });

  it('recorded every prediction with its stored output, cost and external id', async () => {
    const rows = await stack.database.db.selectFrom('predictions').selectAll().execute();
    expect(rows).toHaveLength(fake.predictions().length);
    const fakeIds = new Set(fake.predictions().map((p) => p.id));
    for (const row of rows) {
      expect(row.status).toBe('succeeded');
      expect(fakeIds.has(row.external_id ?? '')).toBe(true);
      expect(await stack.storage.exists(row.output_key ?? '')).toBe(true);
      expect(Number(row.cost_usd)).toBeGreaterThan(0);
    }
    const recorded = rows.reduce((sum, row) => sum + Number(row.cost_usd), 0);
    expect(recorded).toBeCloseTo(fake.billedUsd(), 4);
  });

  it('estimated the cost within 5 % of what Replicate billed', () => {
    const registry = stack.deps.registry;
    const estimate = estimateVideoCost({
      video: registry.get('tiny'),
      image: registry.defaultFor('image'),
      music: registry.defaultFor('music'),
      sceneDurationsS: view.scenes.map((scene) => scene.durationS),
      musicDurationS: 15 + MUSIC_SURPLUS_S,
    });
    const billed = fake.billedUsd();
    expect(billed).toBeGreaterThan(0);
    expect(Math.abs(estimate.totalUsd - billed) / billed).toBeLessThanOrEqual(0.05);
  });
});
