import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VIEWER_URI } from '../src/viewer/viewer-resource.js';
import { connectHttp, freePort, type HttpChild, initializeRequest, startHttpChild } from './helpers/http-child.js';
import { BIN, type ChildEnvironment, childEnvironment } from './helpers/spawn-env.js';
import { ToolCaller } from './helpers/tools.js';
import { checkToolList, runVideoFlow } from './helpers/video-flow.js';

const ALICE_TOKEN = 'alice-token-0123456789abcdef';
const BOB_TOKEN = 'bob-token-0123456789abcdef';

describe('MCP server over Streamable HTTP (npm run mcp:http in a child process)', () => {
  let child: ChildEnvironment;
  let server: HttpChild;
  let url: string;
  let healthUrl: string;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    const [port, healthPort] = [await freePort(), await freePort()];
    child = await childEnvironment({
      MCP_HTTP_PORT: String(port),
      HEALTH_PORT: String(healthPort),
      MCP_HTTP_TOKENS: `alice=${ALICE_TOKEN},bob=${BOB_TOKEN}`,
    });
    server = await startHttpChild(child.env);
    url = `http://127.0.0.1:${port}/mcp`;
    healthUrl = `http://127.0.0.1:${healthPort}/healthz`;
    alice = await connectHttp(url, ALICE_TOKEN);
    bob = await connectHttp(url, BOB_TOKEN);
  });

  afterAll(async () => {
    await alice?.close();
    await bob?.close();
    await server?.stop();
    await child?.cleanup();
  });

  it('lists every tool with valid schemas', async () => {
    await checkToolList(new ToolCaller(alice));
  });

  it("makes a video end to end, and another token's user never sees it", async () => {
    const videoId = await runVideoFlow(new ToolCaller(alice), { model: 'wan' });
    await new ToolCaller(bob).refused(
      'get_video',
      { video_id: videoId },
      new RegExp(`No video ${videoId} found for you`),
    );
    // Everyone sees the viewer; only alice sees her video.
    expect((await bob.listResources()).resources.map((resource) => resource.uri)).toEqual([VIEWER_URI]);
    expect((await alice.listResources()).resources.map((resource) => resource.uri)).toEqual([
      VIEWER_URI,
      `reelsmith://videos/${videoId}`,
    ]);
  });

  it('answers argument errors with isError results that start with the fix', async () => {
    const tools = new ToolCaller(alice);
    expect(await tools.invalidArguments('lipsync_scene', { video_id: randomUUID(), scene: '1' })).toEqual([
      'scene: send a 1-based scene number (see scenes in get_video); got the string "1".',
    ]);
    expect(await tools.invalidArguments('get_video', { videoId: randomUUID() })).toEqual([
      'video_id: missing; send the video_id create_video returned.',
      'videoId: not an argument of get_video; did you mean video_id?',
    ]);
  });

  it('answers 401 without a bearer token or with a wrong one', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer not-a-known-token-at-all' },
      { authorization: ALICE_TOKEN },
    ]) {
      const response = await initializeRequest(url, headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    await expect(connectHttp(url, undefined)).rejects.toThrow();
  });

  it('answers 403 to a foreign Origin and accepts a loopback one', async () => {
    const foreign = await initializeRequest(url, {
      authorization: `Bearer ${ALICE_TOKEN}`,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toMatch(/Origin https:\/\/evil\.example is not allowed/);
    const local = await initializeRequest(url, {
      authorization: `Bearer ${ALICE_TOKEN}`,
      origin: 'http://localhost:6274',
    });
    expect(local.status).toBe(200);
    expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
  });

  it("does not let one user use another user's session", async () => {
    const opened = await initializeRequest(url, { authorization: `Bearer ${ALICE_TOKEN}` });
    const sessionId = opened.headers.get('mcp-session-id');
    expect(sessionId).toBeTruthy();
    const hijack = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${BOB_TOKEN}`,
        'mcp-session-id': sessionId ?? '',
        'mcp-protocol-version': '2025-11-25',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(hijack.status).toBe(404);
  });

  it("runs a task through the SDK's callToolStream; another session of the same user reads it, another user cannot", async () => {
    const messages = [];
    for await (const message of alice.experimental.tasks.callToolStream(
      { name: 'create_video', arguments: { prompt: 'a snow globe shaken', duration_seconds: 5 } },
      CallToolResultSchema,
      { task: { ttl: 600_000 }, timeout: 90_000 },
    )) {
      messages.push(message);
    }
    const types = messages.map((message) => message.type);
    expect(types[0]).toBe('taskCreated');
    expect(types.at(-1)).toBe('result');
    expect(types.slice(1, -1).every((type) => type === 'taskStatus')).toBe(true);
    const created = messages[0];
    const last = messages.at(-1);
    if (created?.type !== 'taskCreated' || last?.type !== 'result') throw new Error('unexpected stream');
    expect(last.result.structuredContent).toMatchObject({ status: 'ready' });

    const again = await connectHttp(url, ALICE_TOKEN);
    try {
      expect(await again.experimental.tasks.getTask(created.task.taskId)).toMatchObject({ status: 'completed' });
    } finally {
      await again.close();
    }
    await expect(bob.experimental.tasks.getTask(created.task.taskId)).rejects.toThrow(/No task .* found for you/);
  });

  it('answers GET /healthz on HEALTH_PORT', async () => {
    expect((await fetch(healthUrl)).status).toBe(200);
  });
});

describe('reelsmith-mcp http start-up', () => {
  it('refuses to listen beyond loopback without a token, and says why', () => {
    const result = spawnSync(process.execPath, [BIN, 'http'], {
      env: { PATH: process.env.PATH ?? '', MCP_HTTP_HOST: '0.0.0.0', DATA_DIR: '/nonexistent-reelsmith' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/refusing to start: MCP_HTTP_HOST is 0\.0\.0\.0.*Set MCP_HTTP_TOKEN/);
    expect(result.stdout).toBe('');
  });
});
