import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../core/src/media/probe.js';
import { correlationOf } from '../../../core/src/providers/replicate/orphans.js';
import type { Owner, VideoView } from '../../../core/src/service/types.js';
import { type FakeReplicate, startFakeReplicate } from '../../../core/src/testing/fake-replicate/index.js';
import { testRegistry } from '../../../core/test/helpers/pipeline.js';
import { type Cluster, startCluster } from '../helpers/cluster.js';
import type { SpawnedWorker } from '../helpers/spawn-worker.js';
import { startWebhookRelay, type WebhookRelay } from '../helpers/webhook-relay.js';

const owner: Owner = { platform: 'mcp', platformUserId: 'replicate-workers' };
const webhookTarget = (worker: SpawnedWorker) => `http://127.0.0.1:${worker.healthPort}/webhooks/replicate`;

describe('npm run worker processes on the loopback fake Replicate', () => {
  let fake: FakeReplicate;
  let relay: WebhookRelay;
  let cluster: Cluster;

  /** Predictions the fake created for one video (each names its prediction row in its webhook URL). */
  async function predictionsOf(videoId: string) {
    const rows = await cluster.database.db
      .selectFrom('predictions')
      .select('id')
      .where('video_id', '=', videoId)
      .execute();
    const ids = new Set(rows.map((row) => row.id));
    return fake.predictions().filter((prediction) => ids.has(correlationOf(prediction.webhook) ?? ''));
  }

  /** What one clean run of the video pays for: a storyboard frame per scene, every chunk, the music. */
  async function expectedPredictions(videoId: string): Promise<number> {
    const versions = await cluster.database.db
      .selectFrom('clip_versions')
      .innerJoin('scenes', 'scenes.id', 'clip_versions.scene_id')
      .select(['clip_versions.chunk_count'])
      .where('scenes.video_id', '=', videoId)
      .where('clip_versions.version', '=', 1)
      .execute();
    return versions.length + versions.reduce((sum, version) => sum + version.chunk_count, 0) + 1;
  }

  async function finish(videoId: string): Promise<VideoView> {
    await cluster.front.service.settled(videoId);
    return cluster.front.service.get(owner, videoId);
  }

  beforeAll(async () => {
    fake = await startFakeReplicate({ models: await testRegistry(), stepLatencyMs: 400 });
    relay = await startWebhookRelay();
    cluster = await startCluster({
      env: {
        REPLICATE_API_TOKEN: fake.apiToken,
        REPLICATE_BASE_URL: fake.url,
        REPLICATE_WEBHOOK_URL: relay.url,
        REPLICATE_WEBHOOK_SECRET: fake.webhookSecret,
        WORKER_CONCURRENCY: '2',
      },
    });
    const [first, second] = await Promise.all([cluster.startWorker(), cluster.startWorker()]);
    relay.targets = [webhookTarget(first as SpawnedWorker), webhookTarget(second as SpawnedWorker)];
  }, 120_000);
  afterAll(async () => {
    await cluster?.close();
    await relay?.close();
    await fake?.close();
  });

  it('makes a video paying each prediction once, its waits woken by webhooks, never by polling', async () => {
    const created = await cluster.front.service.create(owner, { prompt: 'a silver watch on slate', durationS: 10 });
    const view = await finish(created.videoId);
    expect(view.status).toBe('ready');
    expect(view.provider).toBe('replicate');
    expect(await predictionsOf(created.videoId)).toHaveLength(await expectedPredictions(created.videoId));
    const polls = fake
      .requests()
      .filter((request) => request.method === 'GET' && /^\/v1\/predictions\/[^/]+$/.test(request.path));
    expect(polls).toEqual([]);
    const [receiving, other] = relay.targets;
    const second = cluster.workers.find((worker) => webhookTarget(worker) === other) as SpawnedWorker;
    expect(relay.taken.get(receiving as string)).toBeGreaterThan(0);
    expect(relay.taken.get(other as string) ?? 0, 'the other worker got no webhook itself').toBe(0);
    const runners = await cluster.database.db
      .selectFrom('steps')
      .select('runner_id')
      .distinct()
      .where('name', '=', 'chunk')
      .execute();
    expect(runners.map((row) => Number(row.runner_id?.split(':')[1]))).toContain(second.pid);
  });

  it("cancels the video's predictions at Replicate when it is cancelled from another process", async () => {
    const created = await cluster.front.service.create(owner, { prompt: 'a hot air balloon', durationS: 10 });
    let open: { external_id: string | null } | undefined;
    for (let i = 0; i < 400 && !open; i++) {
      open = await cluster.database.db
        .selectFrom('predictions')
        .select('external_id')
        .where('video_id', '=', created.videoId)
        .where('model', '=', 'test/tiny-video')
        .where('status', 'in', ['starting', 'processing'])
        .where('external_id', 'is not', null)
        .executeTakeFirst();
      if (!open) await sleep(10);
    }
    expect(open).toBeDefined();
    const cancelled = await cluster.front.service.cancel(owner, created.videoId);
    expect(cancelled.status).toBe('cancelled');
    const atReplicate = fake.predictions().find((prediction) => prediction.id === open?.external_id);
    expect(atReplicate?.status).toBe('canceled');
    await sleep(1500);
    const after = await predictionsOf(created.videoId);
    expect(
      after.filter((prediction) => prediction.status === 'processing' || prediction.status === 'starting'),
    ).toEqual([]);
  });

  it('completes a video whose worker was killed -9 mid-chunk, without creating any prediction twice', async () => {
    const created = await cluster.front.service.create(owner, { prompt: 'a green bottle in moss', durationS: 10 });
    let victim: SpawnedWorker | undefined;
    for (let i = 0; i < 400 && !victim; i++) {
      const running = await cluster.database.db
        .selectFrom('steps')
        .innerJoin('predictions', 'predictions.step_key', 'steps.key')
        .select(['steps.runner_id'])
        .where('steps.name', '=', 'chunk')
        .where('steps.status', '=', 'running')
        .where('predictions.video_id', '=', created.videoId)
        .where('predictions.external_id', 'is not', null)
        .where('predictions.status', 'in', ['starting', 'processing'])
        .executeTakeFirst();
      const pid = Number(running?.runner_id?.split(':')[1]);
      victim = cluster.workers.find((worker) => worker.pid === pid);
      if (!victim) await sleep(25);
    }
    expect(victim, 'a chunk was running on a worker').toBeDefined();
    await victim?.kill9();
    relay.targets = relay.targets.filter((target) => target !== webhookTarget(victim as SpawnedWorker));
    const view = await finish(created.videoId);
    expect(view.status).toBe('ready');
    expect(await predictionsOf(created.videoId)).toHaveLength(await expectedPredictions(created.videoId));
    const ledger = await cluster.database.db
      .selectFrom('ledger')
      .select('step_key')
      .where('video_id', '=', created.videoId)
      .execute();
    expect(ledger).toHaveLength(await expectedPredictions(created.videoId));
    const versions = view.scenes.map((scene) => scene.versions.map((version) => [version.version, version.status]));
    expect(versions.every((list) => list.length === 1 && list[0]?.[1] === 'succeeded')).toBe(true);
    expect(view.take?.number).toBe(1);
    expect(view.cost.actualUsd).toBeCloseTo(
      (await predictionsOf(created.videoId)).reduce((sum, prediction) => sum + prediction.billedUsd, 0),
      5,
    );
  });

  it('delivers a video whose scene failed for good, with that scene flagged and the rest stitched', async () => {
    fake.faults.models['test/tiny-video'] = { moderation: { count: 1 } };
    const created = await cluster.front.service.create(owner, { prompt: 'a city skyline at night', durationS: 10 });
    const view = await finish(created.videoId);
    expect(view.status).toBe('ready');
    const failed = view.scenes.filter((scene) => scene.status === 'failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.message).toMatch(/refused the content/);
    expect(view.message).toMatch(new RegExp(`Scene ${failed[0]?.index} failed and was left out`));
    const kept = view.scenes
      .filter((scene) => scene.status === 'ready')
      .reduce((sum, scene) => sum + scene.durationS, 0);
    const final = view.final && 'path' in view.final ? view.final.path : '';
    expect((await probe(final)).durationS).toBeCloseTo(kept, 1);
  });
});
