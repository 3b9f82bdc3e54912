import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, type ChildEnvironment, childEnvironment } from './helpers/spawn-env.js';
import { callAsTask, runCreateVideoTask, taskResult, untilStarted } from './helpers/task-flow.js';
import { expectStrictlyIncreasing, TOOL_NAMES, ToolCaller, textOf } from './helpers/tools.js';
import { checkToolList, runVideoFlow } from './helpers/video-flow.js';

describe('MCP server over stdio (the reelsmith-mcp bin in a child process)', () => {
  let child: ChildEnvironment;
  let client: Client;
  let tools: ToolCaller;
  let stderr = '';
  const protocolErrors: Error[] = [];

  beforeAll(async () => {
    child = await childEnvironment({ MCP_USER_ID: 'stdio-tester' });
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: child.env,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    client = new Client({ name: 'reelsmith-stdio-test', version: '0.0.0' });
    client.onerror = (error) => protocolErrors.push(error);
    await client.connect(transport);
    tools = new ToolCaller(client);
  });

  afterAll(async () => {
    await client?.close();
    await child?.cleanup();
  });

  it('lists every tool with valid schemas', async () => {
    await checkToolList(tools);
  });

  it('makes a video end to end, keeping stdout for the protocol and logging to stderr', async () => {
    const videoId = await runVideoFlow(tools, { model: 'wan' });
    const owner = await child.database.db
      .selectFrom('videos')
      .innerJoin('users', 'users.id', 'videos.user_id')
      .select(['users.platform', 'users.platform_user_id'])
      .where('videos.id', '=', videoId)
      .executeTakeFirstOrThrow();
    expect(owner).toEqual({ platform: 'mcp', platform_user_id: 'stdio-tester' });
    expect(protocolErrors).toEqual([]);
    expect(stderr).toContain('MCP stdio server ready');
  });

  it('refuses bad input with isError', async () => {
    await tools.refused('create_video', { prompt: 'x', duration_seconds: 7 }, /multiple of 5/);
  });

  it('runs create_video as a task: tasks/get follows it to completed, tasks/result is what get_video returns', async () => {
    const { taskId, result, video } = await runCreateVideoTask(client, [client]);
    const got = await tools.call('get_video', { video_id: video.video_id });
    expect(result.structuredContent).toEqual(got.structuredContent);
    expect(result.content).toEqual(got.content);
    const listed = (await client.experimental.tasks.listTasks()).tasks.map((task) => task.taskId);
    expect(listed).toContain(taskId);

    // A plain call keeps its old answer (the video at once) and opens no task.
    const plain = await tools.ok('create_video', { prompt: 'a kite over dunes', duration_seconds: 5 });
    expect(plain).toMatchObject({ done: false });
    expect((await client.experimental.tasks.listTasks()).tasks.map((task) => task.taskId)).toEqual(listed);
  });

  it('cancels the video behind a task with tasks/cancel; its result is then refused, and so is a second cancel', async () => {
    const { task } = await callAsTask(client, 'create_video', {
      prompt: 'a slow train at night',
      duration_seconds: 10,
    });
    await untilStarted(client, task.taskId);
    const cancelled = await client.experimental.tasks.cancelTask(task.taskId);
    expect(cancelled).toMatchObject({ taskId: task.taskId, status: 'cancelled' });
    expect(await client.experimental.tasks.getTask(task.taskId)).toMatchObject({ status: 'cancelled' });
    await expect(taskResult(client, task.taskId)).rejects.toThrow(/was cancelled, so it has no result/);
    await expect(client.experimental.tasks.cancelTask(task.taskId)).rejects.toThrow(/terminal status: cancelled/);
    const owned = await child.database.db
      .selectFrom('mcp_tasks')
      .select(['video_id', 'verb', 'status'])
      .where('id', '=', task.taskId)
      .executeTakeFirstOrThrow();
    expect(owned).toMatchObject({ verb: 'create_video', status: 'cancelled' });
    expect(await tools.ok('get_video', { video_id: owned.video_id })).toMatchObject({ status: 'cancelled' });
  });

  it('answers a refused task call with a failed task whose result is the refusal', async () => {
    const { task } = await callAsTask(client, 'create_video', { prompt: 'a cat', model: 'no-such-model' });
    expect(task.status).toBe('working');
    const failed = await client.experimental.tasks.getTask(task.taskId);
    expect(failed).toMatchObject({ status: 'failed', statusMessage: expect.stringMatching(/no-such-model/) });
    const result = await taskResult(client, task.taskId);
    expect(result.isError).toBe(true);
    expect(result._meta).toMatchObject({ 'reelsmith/error_code': expect.any(String) });
  });

  it('answers argument errors with isError results that start with the fix', async () => {
    expect(await tools.invalidArguments('regenerate_scene', { video_id: randomUUID(), scene: 0 })).toEqual([
      'scene: scenes are numbered from 1 (see scenes in get_video).',
    ]);
    expect(await tools.invalidArguments('create_video', { prompt: 'a red kite', duration: 15 })).toEqual([
      'duration: not an argument of create_video; did you mean duration_seconds?',
    ]);
    expect(await tools.invalidArguments('get_video', {})).toEqual([
      'video_id: missing; send the video_id create_video returned.',
    ]);
  });
});

describe('reelsmith-mcp on stdio with nothing configured', () => {
  let dataDir: string;
  let client: Client;
  let videoId: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-mcp-bare-'));
    // Only a data folder: embedded PGlite, local storage, the animatic, the in-process runner.
    const env = { PATH: process.env.PATH ?? '', HOME: dataDir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    client = new Client({ name: 'reelsmith-bare-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
  });

  afterAll(async () => {
    await client?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('makes a whole video from one create_video call with wait_seconds', async () => {
    const { output, progress } = await new ToolCaller(client).withProgress('create_video', {
      prompt: 'a paper boat on a rainy street',
      duration_seconds: 5,
      wait_seconds: 50,
    });
    expect(output).toMatchObject({ status: 'ready', provider: 'animatic', preview: true });
    expect(existsSync(fileURLToPath(output.final_video.uri))).toBe(true);
    expectStrictlyIncreasing(progress);
    videoId = output.video_id;
  });

  it('serves the viewer (bundled in the bin process) and the video as resources/read blobs', async () => {
    const view = (await client.readResource({ uri: 'ui://reelsmith/video.html' })).contents[0];
    expect(view?.mimeType).toBe('text/html;profile=mcp-app');
    expect(view && 'text' in view ? view.text : '').toContain('ui/initialize');
    const file = (await client.readResource({ uri: `reelsmith://videos/${videoId}/files/take-1.mp4` })).contents[0];
    expect(file?.mimeType).toBe('video/mp4');
    expect(
      Buffer.from(file && 'blob' in file ? file.blob : '', 'base64')
        .subarray(4, 8)
        .toString('latin1'),
    ).toBe('ftyp');
  });
});

describe('reelsmith-mcp on stdio with a database it cannot reach', () => {
  let dataDir: string;
  let client: Client;
  let tools: ToolCaller;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-mcp-nodb-'));
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      DATA_DIR: dataDir,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere',
      LOG_LEVEL: 'silent',
    };
    client = new Client({ name: 'reelsmith-nodb-test', version: '0.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN], env, stderr: 'ignore' }));
    tools = new ToolCaller(client);
  });

  afterAll(async () => {
    await client?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('still initializes and lists its tools, and says on the first call why it cannot work', async () => {
    await checkToolList(tools);
    expect((await tools.ok('list_flavors', {})).flavors.length).toBeGreaterThan(0);
    const failed = await tools.call('get_video', { video_id: randomUUID() });
    expect(failed.isError).toBe(true);
    expect(failed._meta?.['reelsmith/error_code']).toBe('database_unreachable');
    expect(textOf(failed)).toMatch(/^Cannot reach the database at postgres:\/\/postgres@127\.0\.0\.1:1\/nowhere/);
    await tools.refused('get_video', { video_id: randomUUID() }, /^Cannot reach the database/);
  });
});

describe('reelsmith-mcp on stdio stopped before its new embedded database is made', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'reelsmith-mcp-early-stop-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const env = () => ({ PATH: process.env.PATH ?? '', HOME: dataDir, DATA_DIR: dataDir, LOG_LEVEL: 'info' });

  it('exits on its own soon after stdin closes mid-open, and the next server on that DATA_DIR has a working database', async () => {
    const child = spawn(process.execPath, [BIN], { env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const answers: Array<{ id?: number; result?: { tools?: unknown[] } }> = [];
    for await (const line of lines) {
      answers.push(JSON.parse(line));
      if (answers.some((answer) => answer.id === 2)) break;
    }
    expect(answers.find((answer) => answer.id === 2)?.result?.tools).toHaveLength(TOOL_NAMES.length);
    // A call that needs the database starts opening it; the host gives up before the answer.
    send({
      jsonrpc: '2.0',
      id: 3,
      method: 'tools/call',
      params: { name: 'get_video', arguments: { video_id: randomUUID() } },
    });
    const exited = once(child, 'exit');
    child.stdin.end();
    expect(await exited).toEqual([0, null]);
    expect(stderr).toContain('exiting before its database finished opening');
    expect(stderr).not.toContain('database open');

    const client = new Client({ name: 'reelsmith-after-early-stop', version: '0.0.0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [BIN], env: env(), stderr: 'ignore' }),
    );
    try {
      const id = randomUUID();
      await new ToolCaller(client).refused('get_video', { video_id: id }, new RegExp(`No video ${id} found for you`));
    } finally {
      await client.close();
    }
    // The first server's initdb child may still be finishing: it renames its copy into place or removes it.
    const pgliteFolders = () => readdir(dataDir).then((names) => names.filter((name) => name.startsWith('pglite')));
    for (let waited = 0; (await pgliteFolders()).length > 1 && waited < 60_000; waited += 200) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await pgliteFolders()).toEqual(['pglite']);
  });
});
