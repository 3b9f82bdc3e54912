import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_TASK_TTL_MS } from '../../src/service/mcp-tasks.js';
import type { Owner } from '../../src/service/types.js';
import { paidStandIn } from '../helpers/paid-stand-in.js';
import { createTestStack, type TestStack } from '../helpers/pipeline.js';

const alice: Owner = { platform: 'mcp', platformUserId: 'alice' };
const bob: Owner = { platform: 'mcp', platformUserId: 'bob' };
const open = { verb: 'create_video', pollIntervalMs: 500 };

describe('MCP tasks in Postgres', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack();
  });
  afterAll(() => stack?.close());

  const rowOf = (id: string) =>
    stack.database.db.selectFrom('mcp_tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('follows the work its call started, then keeps its end while later work runs on the video', async () => {
    const video = await stack.service.create(alice, { prompt: 'a lighthouse in fog', durationS: 5 });
    const created = await stack.service.tasks.open(alice, video.videoId, { ...open, ttlMs: 60_000 });
    expect(created).toMatchObject({
      videoId: video.videoId,
      verb: 'create_video',
      status: 'working',
      ttlMs: 60_000,
      pollIntervalMs: 500,
      refusal: null,
    });
    const running = await stack.service.tasks.get(alice, created.taskId);
    expect(running.status).toBe('working');
    expect(running.statusMessage).toMatch(/^(queued|planning|storyboarding|generating), \d+%/);

    await stack.service.settled(video.videoId);
    const done = await stack.service.tasks.get(alice, created.taskId);
    expect(done).toMatchObject({ status: 'completed', statusMessage: expect.any(String) });
    expect((await rowOf(created.taskId)).status).toBe('completed');

    await stack.service.regenerateScene(alice, video.videoId, 1, { prompt: 'the lighthouse beam sweeping' });
    const regenerate = await stack.service.tasks.open(alice, video.videoId, { ...open, verb: 'regenerate_scene' });
    expect(await stack.service.tasks.get(alice, created.taskId)).toEqual(done);
    expect((await stack.service.tasks.get(alice, regenerate.taskId)).status).toBe('working');
    await stack.service.settled(video.videoId);
    expect(await stack.service.tasks.get(alice, regenerate.taskId)).toMatchObject({ status: 'completed' });
    expect(await stack.service.tasks.get(alice, created.taskId)).toEqual(done);
  });

  it("refuses another owner's, a malformed and an expired task id as not found, and changes nothing", async () => {
    const video = await stack.service.create(alice, { prompt: 'a paper boat', durationS: 5 });
    const task = await stack.service.tasks.open(alice, video.videoId, open);
    const shortLived = await stack.service.tasks.open(alice, video.videoId, { ...open, ttlMs: 10 });
    expect(shortLived.ttlMs).toBe(MCP_TASK_TTL_MS.min);

    for (const attempt of [
      () => stack.service.tasks.get(bob, task.taskId),
      () => stack.service.tasks.cancel(bob, task.taskId),
      () => stack.service.tasks.get(alice, 'not-a-task-id'),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'task_not_found', message: /found for you/ });
    }
    expect((await stack.service.tasks.list(bob)).tasks).toEqual([]);
    expect((await stack.service.get(alice, video.videoId)).status).not.toBe('cancelled');
    expect((await rowOf(task.taskId)).status).toBe('working');

    await new Promise((resolve) => setTimeout(resolve, MCP_TASK_TTL_MS.min + 200));
    await expect(stack.service.tasks.get(alice, shortLived.taskId)).rejects.toMatchObject({ code: 'task_not_found' });
    expect((await stack.service.tasks.list(alice)).tasks.map((t) => t.taskId)).not.toContain(shortLived.taskId);
    await stack.service.tasks.open(alice, video.videoId, open);
    const left = await stack.database.db
      .selectFrom('mcp_tasks')
      .select('id')
      .where('id', '=', shortLived.taskId)
      .execute();
    expect(left).toEqual([]);
    await stack.service.settled(video.videoId);
  });

  it('cancels the video behind a working task; a task that ended cannot be cancelled', async () => {
    const video = await stack.service.create(alice, { prompt: 'a long train crossing a bridge', durationS: 10 });
    const task = await stack.service.tasks.open(alice, video.videoId, open);
    const cancelled = await stack.service.tasks.cancel(alice, task.taskId);
    expect(cancelled).toMatchObject({ status: 'cancelled', statusMessage: 'Cancelled by its owner.' });
    expect((await stack.service.get(alice, video.videoId)).status).toBe('cancelled');
    await expect(stack.service.tasks.cancel(alice, task.taskId)).rejects.toMatchObject({
      code: 'task_finished',
      message: expect.stringMatching(/already cancelled/),
    });
  });

  it('keeps a refused call as a failed task holding the refusal', async () => {
    const refused = await stack.service.tasks.openRefused(
      alice,
      { code: 'unknown_model', message: 'Unknown model "nope".' },
      open,
    );
    expect(await stack.service.tasks.get(alice, refused.taskId)).toMatchObject({
      status: 'failed',
      videoId: null,
      statusMessage: 'Unknown model "nope".',
      refusal: { code: 'unknown_model', message: 'Unknown model "nope".' },
    });
  });

  it("lists the owner's tasks newest first, a page at a time, and refuses a cursor that names none", async () => {
    const all = (await stack.service.tasks.list(alice, { limit: 100 })).tasks;
    expect(all.length).toBeGreaterThan(3);
    const first = await stack.service.tasks.list(alice, { limit: 2 });
    expect(first.tasks).toHaveLength(2);
    expect(first.nextCursor).toBe(first.tasks[1]?.taskId);
    const rest = await stack.service.tasks.list(alice, { limit: 100, cursor: first.nextCursor as string });
    expect([...first.tasks, ...rest.tasks].map((t) => t.taskId)).toEqual(all.map((t) => t.taskId));
    expect(rest.nextCursor).toBeUndefined();
    const created = all.map((t) => t.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
    await expect(stack.service.tasks.list(alice, { cursor: randomUUID() })).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});

describe('an MCP task for a video held for approval', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await createTestStack({
      providers: paidStandIn().providers,
      approvalThresholdUsd: 0.05,
      dailyBudgetUsd: 5,
    });
  });
  afterAll(() => stack?.close());

  it('completes at once with the approval message; approving starts a task of its own', async () => {
    const video = await stack.service.create(alice, { prompt: 'a glass of lemonade', durationS: 5, model: 'tiny' });
    expect(video.status).toBe('awaiting_approval');
    const created = await stack.service.tasks.open(alice, video.videoId, open);
    expect(await stack.service.tasks.get(alice, created.taskId)).toMatchObject({
      status: 'completed',
      statusMessage: expect.stringMatching(/approval threshold/),
    });

    await stack.service.approve(alice, video.videoId);
    const approved = await stack.service.tasks.open(alice, video.videoId, { ...open, verb: 'approve_video' });
    expect((await stack.service.tasks.get(alice, approved.taskId)).status).toBe('working');
    await stack.service.settled(video.videoId);
    expect(await stack.service.tasks.get(alice, approved.taskId)).toMatchObject({ status: 'completed' });
    expect((await stack.service.tasks.get(alice, created.taskId)).status).toBe('completed');
  });
});
