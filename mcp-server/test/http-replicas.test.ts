import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createLogger, loadConfig } from '@reelsmith/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStack, TEST_REDIS_URL, type TestStack, testRegistryYaml } from '../../core/test/helpers/pipeline.js';
import { MCP_PATH } from '../src/http/http-app.js';
import { type OpenedHttpServer, openHttpServer } from '../src/http/open-http.js';
import { VIEWER_META_KEY, type ViewerMeta } from '../src/viewer/viewer-meta.js';
import { VIEWER_URI } from '../src/viewer/viewer-resource.js';
import { connectHttp, initializeRequest } from './helpers/http-child.js';
import { callAsTask, runCreateVideoTask, taskResult, untilStarted } from './helpers/task-flow.js';
import { expectStrictlyIncreasing, ToolCaller } from './helpers/tools.js';

const ALICE_TOKEN = 'alice-replica-token-0123456789';
const BOB_TOKEN = 'bob-replica-token-0123456789';

interface Replica {
  url: string;
  port: number;
  opened: OpenedHttpServer;
}

/**
 * Several `reelsmith-mcp http` replicas in this process, each with its own app (database pool,
 * QueueRunner, Redis connections, event bus) from the same environment, as separate processes
 * would have: the same Postgres, Redis prefix and data folder as the stack, whose worker runs the
 * videos. MCP_HTTP_MODE is left to its default, which REDIS_URL makes stateless.
 */
describe('stateless MCP over HTTP: two replicas on one Postgres and Redis (QueueRunner and a worker)', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  const replicas: Replica[] = [];
  const clients: Client[] = [];

  async function startReplica(port = 0): Promise<Replica> {
    const log = createLogger({ level: 'silent' });
    const opened = await openHttpServer(loadConfig(env), log, { pollIntervalMs: 200, taskPollIntervalMs: 300 });
    await new Promise<void>((resolve) => opened.http.server.listen(port, '127.0.0.1', resolve));
    const address = opened.http.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    return { url: `http://127.0.0.1:${address.port}${MCP_PATH}`, port: address.port, opened };
  }

  async function connect(replica: Replica, token: string): Promise<Client> {
    const client = await connectHttp(replica.url, token);
    clients.push(client);
    return client;
  }

  beforeAll(async () => {
    stack = await createTestStack({ runner: 'queue' });
    const registryFile = join(stack.dataDir, 'models.test.yaml');
    await writeFile(registryFile, await testRegistryYaml());
    env = {
      DATABASE_URL: stack.database.url,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: stack.queue?.prefix ?? '',
      DATA_DIR: stack.dataDir,
      MODEL_REGISTRY_FILE: registryFile,
      DEFAULT_VIDEO_MODEL: 'tiny',
      MCP_HTTP_TOKENS: `alice=${ALICE_TOKEN},bob=${BOB_TOKEN}`,
      // Shared by the replicas, so a media link one of them signs is accepted by the other.
      MCP_MEDIA_SECRET: 'replicas-share-this-media-secret-0123456789',
      LOG_LEVEL: 'silent',
    };
    replicas.push(await startReplica(), await startReplica());
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close().catch(() => {})));
    for (const replica of replicas) await replica.opened.close().catch(() => {});
    await stack?.close();
  });

  const [a, b] = [() => replicas[0] as Replica, () => replicas[1] as Replica];

  it('keeps no session: initialize issues no Mcp-Session-Id, a GET stream is refused with 405', async () => {
    expect(a().opened.http.mode).toBe('stateless');
    const initialized = await initializeRequest(a().url, { authorization: `Bearer ${ALICE_TOKEN}` });
    expect(initialized.status).toBe(200);
    expect(initialized.headers.get('mcp-session-id')).toBeNull();
    const stream = await fetch(a().url, {
      headers: { accept: 'text/event-stream', authorization: `Bearer ${ALICE_TOKEN}` },
    });
    expect(stream.status).toBe(405);
    expect(await stream.text()).toMatch(/stateless/);
    expect((await initializeRequest(a().url, {})).status).toBe(401);
    expect(a().opened.http.sessionCount()).toBe(0);
  });

  it('creates a task on one replica, follows it on both and gets its result on the other', async () => {
    const [aliceA, aliceB] = [await connect(a(), ALICE_TOKEN), await connect(b(), ALICE_TOKEN)];
    const { taskId, result, video } = await runCreateVideoTask(aliceA, [aliceA, aliceB]);
    const got = await new ToolCaller(aliceA).call('get_video', { video_id: video.video_id });
    expect(result.structuredContent).toEqual(got.structuredContent);
    expect(result.content).toEqual(got.content);
    expect((await aliceB.experimental.tasks.listTasks()).tasks.map((task) => task.taskId)).toContain(taskId);
  });

  it('keeps a task across a restart: a new replica on the same port answers the same client', async () => {
    const aliceB = await connect(b(), ALICE_TOKEN);
    const { task } = await callAsTask(aliceB, 'create_video', { prompt: 'a red kite at dawn', duration_seconds: 5 });
    const old = b();
    await old.opened.close();
    replicas[1] = await startReplica(old.port);
    // tasks/result blocks until the task ends (on the new replica, which never saw it created).
    expect((await taskResult(aliceB, task.taskId)).structuredContent).toMatchObject({ status: 'ready' });
    expect(await aliceB.experimental.tasks.getTask(task.taskId)).toMatchObject({ status: 'completed' });
  });

  it('cancels through the other replica, and another user can neither see, read nor cancel the task', async () => {
    const [aliceA, aliceB, bobB] = [
      await connect(a(), ALICE_TOKEN),
      await connect(b(), ALICE_TOKEN),
      await connect(b(), BOB_TOKEN),
    ];
    const { task } = await callAsTask(aliceA, 'create_video', {
      prompt: 'a slow boat on a canal',
      duration_seconds: 10,
    });
    await untilStarted(aliceB, task.taskId);

    const notYours = new RegExp(`No task ${task.taskId} found for you`);
    await expect(bobB.experimental.tasks.getTask(task.taskId)).rejects.toThrow(notYours);
    await expect(bobB.experimental.tasks.cancelTask(task.taskId)).rejects.toThrow(notYours);
    await expect(taskResult(bobB, task.taskId)).rejects.toThrow(notYours);
    expect((await bobB.experimental.tasks.listTasks()).tasks).toEqual([]);
    expect(await aliceA.experimental.tasks.getTask(task.taskId)).toMatchObject({ status: 'working' });

    expect(await aliceB.experimental.tasks.cancelTask(task.taskId)).toMatchObject({ status: 'cancelled' });
    expect(await aliceA.experimental.tasks.getTask(task.taskId)).toMatchObject({
      status: 'cancelled',
      statusMessage: expect.stringMatching(/[Cc]ancelled/),
    });
    await expect(taskResult(aliceA, task.taskId)).rejects.toThrow(
      new RegExp(`Task ${task.taskId} was cancelled, so it has no result`),
    );
    const videoId = (
      await stack.database.db
        .selectFrom('mcp_tasks')
        .select('video_id')
        .where('id', '=', task.taskId)
        .executeTakeFirstOrThrow()
    ).video_id;
    expect(await new ToolCaller(aliceB).ok('get_video', { video_id: videoId })).toMatchObject({ status: 'cancelled' });
  });

  it('answers a client that asks for no task as before: the video at once, progress on a waiting call', async () => {
    const [aliceA, aliceB] = [await connect(a(), ALICE_TOKEN), await connect(b(), ALICE_TOKEN)];
    const before = (await aliceA.experimental.tasks.listTasks()).tasks.length;
    const started = await new ToolCaller(aliceA).ok('create_video', {
      prompt: 'a glass of ice water',
      duration_seconds: 5,
    });
    expect(started).toMatchObject({ done: false });
    const { output, progress } = await new ToolCaller(aliceB).withProgress('get_video', {
      video_id: started.video_id,
      wait_seconds: 50,
    });
    expect(output.status).toBe('ready');
    expectStrictlyIncreasing(progress);
    expect((await aliceA.experimental.tasks.listTasks()).tasks).toHaveLength(before);
  });

  it("signs the viewer's media links for the Host of each request, and the other replica serves them", async () => {
    const viaIp = await connect(a(), ALICE_TOKEN);
    const video = await new ToolCaller(viaIp).ok('create_video', {
      prompt: 'a paper boat in the rain',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(video.status).toBe('ready');
    // No session: each request's own Host is the base of the links and the viewer's CSP origin.
    const viaName = await connect({ ...a(), url: a().url.replace('127.0.0.1', 'localhost') }, ALICE_TOKEN);
    for (const [client, host] of [
      [viaIp, `127.0.0.1:${a().port}`],
      [viaName, `localhost:${a().port}`],
    ] as const) {
      const viewer = (await client.readResource({ uri: VIEWER_URI })).contents[0];
      expect(viewer?._meta?.ui).toMatchObject({ csp: { resourceDomains: [`http://${host}`] } });
      const got = (await client.callTool({
        name: 'get_video',
        arguments: { video_id: video.video_id },
      })) as CallToolResult;
      const link = (got._meta?.[VIEWER_META_KEY] as ViewerMeta | undefined)?.final_video?.uri ?? '';
      expect(link.startsWith(`http://${host}/media/${video.video_id}/`), link).toBe(true);
      expect((await fetch(link)).status).toBe(200);
      // Signed on one replica, served by the other (MCP_MEDIA_SECRET is shared).
      const onOther = await fetch(link.replace(`:${a().port}/`, `:${b().port}/`));
      expect(onOther.status).toBe(200);
      expect(onOther.headers.get('content-type')).toBe('video/mp4');
    }
  });

  it('does not offer resource subscriptions without sessions, and refuses one saying what to do instead', async () => {
    const aliceA = await connect(a(), ALICE_TOKEN);
    expect(aliceA.getServerCapabilities()?.resources).toEqual({ listChanged: true });
    expect(aliceA.getInstructions()).not.toMatch(/resources\/subscribe/);
    await expect(aliceA.subscribeResource({ uri: 'reelsmith://videos/any' })).rejects.toThrow(
      /resources\/subscribe needs a session.*MCP_HTTP_MODE=stateless.*get_video.*MCP_HTTP_MODE=sessions/,
    );
  });
});
