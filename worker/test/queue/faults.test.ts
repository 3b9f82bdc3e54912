import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Owner } from '../../../core/src/service/types.js';
import { createTestStack, type TestStack } from '../../../core/test/helpers/pipeline.js';
import type { ReelsmithWorker } from '../../src/create-worker.js';

const owner: Owner = { platform: 'slack', platformUserId: 'U-faults' };

async function settledJob(get: () => Promise<Job | undefined>): Promise<{ job: Job; state: string }> {
  for (let i = 0; i < 400; i++) {
    const job = await get();
    const state = job ? await job.getState() : 'missing';
    if (job?.finishedOn && (state === 'failed' || state === 'completed')) return { job, state };
    await sleep(10);
  }
  throw new Error('job did not settle');
}

describe('bad jobs and requests on the queue', () => {
  let stack: TestStack;
  let admin: ReelsmithWorker;
  const token = 'admin-token-0123456789';
  beforeAll(async () => {
    stack = await createTestStack({ runner: 'queue' });
    admin = (await stack.queue?.startWorker({ adminPort: 0, adminToken: token, healthPort: 0 })) as ReelsmithWorker;
  });
  afterAll(() => stack?.close());

  it('fails a malformed step payload at once, without retry, saying what is wrong', async () => {
    const queue = stack.queue?.runtime.local;
    await queue?.add(
      'stitch',
      { workId: 'not-a-uuid', node: { id: 'x.stitch.1', step: 'stitch' } },
      { jobId: 'bad-1', attempts: 5 },
    );
    const { job, state } = await settledJob(async () => queue?.getJob('bad-1'));
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^Malformed step job bad-1: workId: Invalid UUID.*node\.input/);
  });

  it('fails a job for a work (or video) that does not exist, without retry', async () => {
    const queue = stack.queue?.runtime.provider;
    const workId = randomUUID();
    const videoId = randomUUID();
    const node = { id: `${videoId}.music`, step: 'music', input: { videoId }, deps: [], after: [] };
    await queue?.add('music', { workId, videoId, node }, { jobId: 'ghost-1', attempts: 5 });
    const { job, state } = await settledJob(async () => queue?.getJob('ghost-1'));
    expect(state).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe(`Step job ghost-1 names work ${workId}, which does not exist`);
  });

  it('makes one video of two creates with the same idempotency key', async () => {
    const request = { prompt: 'a teapot on a windowsill', durationS: 5, model: 'tiny' };
    const [a, b] = await Promise.all([
      stack.service.create(owner, request, { idempotencyKey: 'same-key' }),
      stack.service.create(owner, request, { idempotencyKey: 'same-key' }),
    ]);
    expect(a.videoId).toBe(b.videoId);
    await stack.service.settled(a.videoId);
    const works = await stack.database.db.selectFrom('works').selectAll().where('video_id', '=', a.videoId).execute();
    expect(works).toHaveLength(1);
    expect((await stack.service.get(owner, a.videoId)).status).toBe('ready');
  });

  it('refuses to cancel a finished video and changes nothing', async () => {
    const created = await stack.service.create(owner, { prompt: 'a red umbrella', durationS: 5, model: 'tiny' });
    await stack.service.settled(created.videoId);
    const before = await stack.service.get(owner, created.videoId);
    await expect(stack.service.cancel(owner, created.videoId)).rejects.toMatchObject({ code: 'not_cancellable' });
    expect(await stack.service.get(owner, created.videoId)).toEqual(before);
  });

  it('serves bull-board only to a request bearing ADMIN_TOKEN', async () => {
    const base = `http://127.0.0.1:${admin.ports.admin}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/`, { headers: { authorization: 'Bearer wrong-token-0000000000' } })).status).toBe(401);
    const page = await fetch(`${base}/`, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/bull/i);
    const basic = Buffer.from(`ops:${token}`).toString('base64');
    const queues = await fetch(`${base}/api/queues`, { headers: { authorization: `Basic ${basic}` } });
    expect(queues.status).toBe(200);
    const names = ((await queues.json()) as { queues: Array<{ name: string }> }).queues.map((queue) => queue.name);
    expect(names).toEqual(
      expect.arrayContaining(['works', 'steps-provider', 'steps-local', 'notify-discord', 'notify-slack']),
    );
  });

  it('reports readiness on /readyz and liveness on /healthz', async () => {
    const base = `http://127.0.0.1:${admin.ports.health}`;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ ok: true, problems: [] });
    expect((await fetch(`${base}/webhooks/replicate`, { method: 'POST' })).status).toBe(404);
  });
});
